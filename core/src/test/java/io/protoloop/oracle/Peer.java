package io.protoloop.oracle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.BiConsumer;

/**
 * The other end of a TCP connection (Python: Peer in oracle_kit.py): a plain blocking socket. Sends are small and
 * never block the loop; reading happens on a thread of its own ({@link #startReading}), until EOF, a reset or
 * {@link Trace#TIMEOUT}.
 */
final class Peer {

	/** Socket buffer size for the scenarios that need the kernel buffers full. */
	static final int SMALL = 4096;

	/** Written first by the flow-control scenarios: more than the small kernel buffers can take. */
	static final int FILLER = 1024 * 1024;

	final Socket socket;

	private final SocketChannel subject;

	private final ByteArrayOutputStream data = new ByteArrayOutputStream();

	private volatile String end;

	private Thread thread;

	private BiConsumer<Peer, byte[]> onEof;

	Peer(Socket socket) {
		this(socket, null);
	}

	private Peer(Socket socket, SocketChannel subject) {
		this.socket = socket;
		this.subject = subject;
		try {
			socket.setSoTimeout((int) Trace.TIMEOUT.toMillis());
		}
		catch (SocketException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A connected loopback pair: this peer, and {@link #subject()} for connectAcceptedSocket. {@code small}
	 * shrinks the peer's receive and the subject's send buffers so that a megabyte written stays mostly in the
	 * transport's buffer.
	 */
	static Peer pair(boolean small) throws IOException {
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			Socket socket = new Socket();
			if (small) {
				socket.setReceiveBufferSize(SMALL);
			}
			socket.connect(listener.getLocalAddress());
			SocketChannel subject = listener.accept();
			if (small) {
				subject.setOption(StandardSocketOptions.SO_SNDBUF, SMALL);
			}
			return new Peer(socket, subject);
		}
	}

	/** The subject's end of a {@link #pair}. */
	SocketChannel subject() {
		return this.subject;
	}

	void send(String text) {
		send(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
	}

	void send(byte[] bytes) {
		try {
			this.socket.getOutputStream().write(bytes);
			this.socket.getOutputStream().flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void shutdown() {
		try {
			this.socket.shutdownOutput();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Closes with SO_LINGER 0: the subject sees a reset. */
	void reset() {
		try {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void startReading() {
		startReading(null);
	}

	/** Reads until the stream ends; on EOF, {@code onEof} may answer (send), then the peer closes. */
	void startReading(BiConsumer<Peer, byte[]> onEof) {
		this.onEof = onEof;
		this.thread = new Thread(this::read, "oracle-peer");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void read() {
		byte[] chunk = new byte[65536];
		try {
			InputStream in = this.socket.getInputStream();
			while (true) {
				int n = in.read(chunk);
				if (n < 0) {
					this.end = "eof";
					if (this.onEof != null) {
						this.onEof.accept(this, this.data.toByteArray());
						this.socket.close();
					}
					return;
				}
				synchronized (this.data) {
					this.data.write(chunk, 0, n);
				}
			}
		}
		catch (SocketTimeoutException ex) {
			this.end = "timeout";
		}
		catch (SocketException ex) {
			this.end = String.valueOf(ex.getMessage()).contains("reset") ? "reset" : ex.getClass().getSimpleName();
		}
		catch (IOException ex) {
			this.end = ex.getClass().getSimpleName();
		}
	}

	/** Waits for the reading thread; returns the bytes received ({@link #end()} tells how the stream ended). */
	byte[] result() {
		if (this.thread == null) {
			startReading();
		}
		try {
			this.thread.join(Trace.TIMEOUT.toMillis() + 1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing is all that is left
		}
		synchronized (this.data) {
			return this.data.toByteArray();
		}
	}

	/** How the stream ended: "eof", "reset", "timeout" or an exception's name; null while reading. */
	String end() {
		return this.end;
	}

	/** A loopback port nothing listens on (bound, then closed). */
	static int closedPort(boolean udp) throws IOException {
		if (udp) {
			try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
		}
		try (SocketChannel socket = SocketChannel.open()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return ((InetSocketAddress) socket.getLocalAddress()).getPort();
		}
	}

}
