package io.protoloop.boot.test;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A blocking client of a stream endpoint (tcp or unix), for tests: write, then read until a delimiter, read
 * exactly n bytes, or expect the end of the stream, each wait bounded by the client's timeout. The reads are
 * named after asyncio's {@code StreamReader} ({@code readuntil}, {@code readexactly}, {@code readline}). Every
 * failure is an {@link AssertionError} naming the endpoint and showing what arrived. Not thread-safe: one test
 * thread uses it.
 */
public final class EndpointClient implements AutoCloseable {

	/** How much of the received bytes a failure message shows. */
	private static final int SHOWN = 200;

	private final String endpoint;

	private final SocketChannel channel;

	private final Selector selector;

	private final SelectionKey key;

	private final ByteBuffer readBuffer = ByteBuffer.allocate(8192);

	/** Bytes received and not yet returned: {@code received[0, length)}. */
	private byte[] received = new byte[8192];

	private int length;

	private boolean eof;

	private Duration timeout;

	private EndpointClient(String endpoint, SocketChannel channel, Selector selector, Duration timeout)
			throws IOException {
		this.endpoint = endpoint;
		this.channel = channel;
		this.selector = selector;
		this.key = channel.register(selector, SelectionKey.OP_CONNECT);
		this.timeout = timeout;
	}

	static EndpointClient connect(String endpoint, SocketAddress address, Duration timeout) {
		SocketChannel channel = null;
		Selector selector = null;
		try {
			channel = (address instanceof UnixDomainSocketAddress) ? SocketChannel.open(StandardProtocolFamily.UNIX)
					: SocketChannel.open();
			selector = Selector.open();
			channel.configureBlocking(false);
			EndpointClient client = new EndpointClient(endpoint, channel, selector, timeout);
			client.finishConnect(address);
			return client;
		}
		catch (IOException | AssertionError ex) {
			closeQuietly(channel, selector);
			if (ex instanceof AssertionError failure) {
				throw failure;
			}
			throw new AssertionError("Could not connect to endpoint '" + endpoint + "' at " + address + ": " + ex,
					ex);
		}
	}

	private void finishConnect(SocketAddress address) throws IOException {
		long deadline = deadline();
		if (this.channel.connect(address)) {
			return;
		}
		while (!this.channel.finishConnect()) {
			if (!await(SelectionKey.OP_CONNECT, deadline)) {
				throw new AssertionError("Could not connect to endpoint '" + this.endpoint + "' at " + address
						+ " within " + this.timeout.toMillis() + "ms");
			}
		}
	}

	/**
	 * Sets how long each later call may wait.
	 * @param timeout the bound on each wait
	 * @return this client
	 */
	public EndpointClient timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	/**
	 * Writes text, encoded as UTF-8.
	 * @param text what to send
	 * @return this client
	 */
	public EndpointClient write(String text) {
		return write(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Writes bytes, waiting while the endpoint does not read them, up to the timeout.
	 * @param bytes what to send; may be empty
	 * @return this client
	 * @throws AssertionError if the endpoint does not take them all in time, or the connection fails
	 */
	public EndpointClient write(byte[] bytes) {
		ByteBuffer data = ByteBuffer.wrap(bytes);
		long deadline = deadline();
		try {
			while (data.hasRemaining()) {
				if (this.channel.write(data) == 0 && !await(SelectionKey.OP_WRITE, deadline)) {
					throw failure("did not take the last " + data.remaining() + " of " + bytes.length
							+ " bytes written within " + this.timeout.toMillis() + "ms", null);
				}
			}
		}
		catch (IOException ex) {
			throw failure("failed while the client wrote: " + ex, ex);
		}
		return this;
	}

	/**
	 * Ends the client's side of the stream (asyncio's {@code write_eof}); the endpoint sees {@code eofReceived}.
	 * @return this client
	 */
	public EndpointClient writeEof() {
		try {
			this.channel.shutdownOutput();
		}
		catch (IOException ex) {
			throw failure("failed as the client ended its output: " + ex, ex);
		}
		return this;
	}

	/**
	 * Reads until {@code delimiter}, as asyncio's {@code readuntil}.
	 * @param delimiter what ends the text, such as {@code "\n"} or {@code "\r\n"}
	 * @return the text up to and including the delimiter, decoded as UTF-8
	 * @throws AssertionError if the delimiter does not arrive in time or the stream ends first
	 */
	public String readUntil(String delimiter) {
		byte[] wanted = delimiter.getBytes(StandardCharsets.UTF_8);
		long deadline = deadline();
		int end;
		while ((end = indexOf(wanted)) < 0) {
			fill(deadline, "sent no " + show(wanted, wanted.length));
		}
		return new String(take(end + wanted.length), StandardCharsets.UTF_8);
	}

	/**
	 * Reads a line, as asyncio's {@code readline}, without its {@code "\n"} or {@code "\r\n"}.
	 * @return the line, decoded as UTF-8
	 * @throws AssertionError if no whole line arrives in time or the stream ends first
	 */
	public String readLine() {
		String line = readUntil("\n");
		int end = line.endsWith("\r\n") ? line.length() - 2 : line.length() - 1;
		return line.substring(0, end);
	}

	/**
	 * Reads exactly {@code count} bytes, as asyncio's {@code readexactly}.
	 * @param count how many bytes
	 * @return the bytes
	 * @throws AssertionError if they do not all arrive in time or the stream ends first
	 */
	public byte[] readExactly(int count) {
		long deadline = deadline();
		while (this.length < count) {
			fill(deadline, "sent " + this.length + " of the " + count + " bytes expected");
		}
		return take(count);
	}

	/**
	 * Waits for the endpoint to end the stream, with nothing more sent before.
	 * @throws AssertionError if more bytes arrive, or the stream does not end in time
	 */
	public void expectEof() {
		long deadline = deadline();
		while (!this.eof && this.length == 0) {
			fill(deadline, "did not end the stream");
		}
		if (this.length > 0) {
			throw failure("sent " + this.length + " more byte(s) where the end of the stream was expected", null);
		}
	}

	/** Closes the connection. */
	@Override
	public void close() {
		closeQuietly(this.channel, this.selector);
	}

	/** Reads what arrives next, or fails with {@code problem} on timeout or at the end of the stream. */
	private void fill(long deadline, String problem) {
		if (this.eof) {
			throw failure("ended the stream, and " + problem, null);
		}
		try {
			while (true) {
				this.readBuffer.clear();
				int read = this.channel.read(this.readBuffer);
				if (read < 0) {
					this.eof = true;
					return;
				}
				if (read > 0) {
					append(this.readBuffer.flip());
					return;
				}
				if (!await(SelectionKey.OP_READ, deadline)) {
					throw failure(problem + " within " + this.timeout.toMillis() + "ms", null);
				}
			}
		}
		catch (IOException ex) {
			throw failure("failed while the client read: " + ex, ex);
		}
	}

	/** Waits for the channel to be ready for {@code operation}; {@code false} once the deadline has passed. */
	private boolean await(int operation, long deadline) throws IOException {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			return false;
		}
		this.key.interestOps(operation);
		this.selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
		this.selector.selectedKeys().clear();
		return true;
	}

	private long deadline() {
		return System.nanoTime() + this.timeout.toNanos();
	}

	private void append(ByteBuffer data) {
		int count = data.remaining();
		if (this.length + count > this.received.length) {
			this.received = Arrays.copyOf(this.received, Math.max(this.received.length * 2, this.length + count));
		}
		data.get(this.received, this.length, count);
		this.length += count;
	}

	private byte[] take(int count) {
		byte[] taken = Arrays.copyOf(this.received, count);
		System.arraycopy(this.received, count, this.received, 0, this.length - count);
		this.length -= count;
		return taken;
	}

	private int indexOf(byte[] wanted) {
		for (int i = 0; i + wanted.length <= this.length; i++) {
			if (Arrays.equals(this.received, i, i + wanted.length, wanted, 0, wanted.length)) {
				return i;
			}
		}
		return -1;
	}

	private AssertionError failure(String problem, Throwable cause) {
		String shown = (this.length == 0) ? "nothing" : show(this.received, this.length);
		return new AssertionError("Endpoint '" + this.endpoint + "' " + problem + "; received and not yet read: "
				+ shown, cause);
	}

	/** The first bytes of {@code data} as text in quotes, with line ends, tabs and other bytes escaped. */
	static String show(byte[] data, int length) {
		StringBuilder text = new StringBuilder("\"");
		for (int i = 0; i < Math.min(length, SHOWN); i++) {
			int b = data[i] & 0xff;
			switch (b) {
				case '\n' -> text.append("\\n");
				case '\r' -> text.append("\\r");
				case '\t' -> text.append("\\t");
				case '"', '\\' -> text.append('\\').append((char) b);
				default -> text.append((b >= 0x20 && b < 0x7f) ? String.valueOf((char) b) : String.format("\\x%02x", b));
			}
		}
		text.append('"');
		if (length > SHOWN) {
			text.append("... (").append(length).append(" bytes)");
		}
		return text.toString();
	}

	private static void closeQuietly(SocketChannel channel, Selector selector) {
		try {
			if (channel != null) {
				channel.close();
			}
			if (selector != null) {
				selector.close();
			}
		}
		catch (IOException ex) {
			// Closing a test's client: nothing to do about it.
		}
	}

}
