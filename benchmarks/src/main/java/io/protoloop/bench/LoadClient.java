package io.protoloop.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

/**
 * The load generator: drives an echo server from the calling thread with one selector, so a single client core
 * goes as far as it can, over plain TCP or over TLS ({@link TlsWire}). Ping-pong keeps one message in flight per
 * connection and checks every echo; streaming writes and reads one connection flat out; handshakes (TLS) connect,
 * complete a full handshake, echo one message and reset, over and over, on each connection; idle connections are
 * only opened. Each run warms up until {@link Window#open()} agrees, then counts the work done until the measured
 * {@link Span} is over (a time, or a number of requests), and starts over if {@link Window#close()} rejects the
 * window.
 */
final class LoadClient {

	/** Called at the edges of the measured window; nothing is sent while it runs. */
	interface Window {

		/** Opens the window, or returns {@code false} to have the warm-up go on for another second. */
		boolean open() throws IOException;

		/** Closes the window, or returns {@code false} to discard it and measure again. */
		boolean close() throws IOException;

		/** The window of a run that measures nothing (priming): it opens and closes at once. */
		Window ANY = new Window() {

			@Override
			public boolean open() {
				return true;
			}

			@Override
			public boolean close() {
				return true;
			}

		};

	}

	private static final long SELECT_TIMEOUT_MILLIS = 50;

	private static final Duration MORE_WARMUP = Duration.ofSeconds(1);

	private final InetSocketAddress server;

	/** The TLS client context, or {@code null} for plain connections. */
	private final SSLContext tls;

	/** Requests completed, bytes received back, or handshakes completed, since the run began. */
	private long work;

	/** Round-trip times of the ping-pong requests completed in the measured window. */
	private final LatencyHistogram latency = new LatencyHistogram();

	/** What the first TLS handshake negotiated ({@code TLSv1.3 TLS_AES_256_GCM_SHA384}), or {@code null}. */
	private String tlsSession;

	private final Consumer<SelectionKey> onReady = (key) -> {
		try {
			((Endpoint) key.attachment()).ready(key);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	};

	/** A client of {@code server}, over TLS with {@code tls} as its context, or plain if it is {@code null}. */
	LoadClient(InetSocketAddress server, SSLContext tls) {
		this.server = server;
		this.tls = tls;
	}

	/**
	 * Returns the round-trip times of the ping-pong requests completed in the last measured window: from the
	 * request handed to the socket to the last byte of its echo read.
	 */
	LatencyHistogram latency() {
		return this.latency;
	}

	/** Returns what the first TLS handshake negotiated, or {@code null}. */
	String tlsSession() {
		return this.tlsSession;
	}

	/**
	 * Ping-pong: each of {@code connections} sends {@code size} bytes and waits for the whole echo before it sends
	 * again.
	 * @return the requests completed in the measured window
	 */
	long pingPong(int connections, int size, Duration warmup, Span measure, Window window) throws IOException {
		ByteBuffer message = pattern(size);
		try (Selector selector = Selector.open()) {
			List<SocketChannel> channels = new ArrayList<>();
			try {
				for (int i = 0; i < connections; i++) {
					SocketChannel channel = connect();
					channels.add(channel);
					new Requester(channel, selector, message).start();
				}
				return drive(selector, warmup, measure, window);
			}
			finally {
				closeAll(channels);
			}
		}
	}

	/**
	 * Streaming: one connection written with {@code chunk}-byte writes as fast as the server takes them while
	 * the echo is read back.
	 * @return the bytes received back in the measured window
	 */
	long stream(int chunk, Duration warmup, Span measure, Window window) throws IOException {
		try (Selector selector = Selector.open(); SocketChannel channel = connect()) {
			new Streamer(channel, selector, pattern(chunk)).start();
			return drive(selector, warmup, measure, window);
		}
	}

	/**
	 * Handshakes (TLS): each of {@code connections} connects, completes a full handshake, echoes {@code size}
	 * bytes (so the server has finished its side too), resets the connection and connects again.
	 * @return the handshakes completed in the measured window
	 */
	long handshakes(int connections, int size, Duration warmup, Span measure, Window window) throws IOException {
		ByteBuffer message = pattern(size);
		try (Selector selector = Selector.open()) {
			try {
				for (int i = 0; i < connections; i++) {
					new Handshaker(connect(), selector, message).start();
				}
				return drive(selector, warmup, measure, window);
			}
			finally {
				for (SelectionKey key : selector.keys()) {
					key.channel().close();
				}
			}
		}
	}

	/**
	 * Opens {@code count} connections that send nothing. They are set to reset on close, so closing thousands
	 * leaves no sockets in TIME_WAIT.
	 */
	List<SocketChannel> openIdle(int count) throws IOException {
		List<SocketChannel> channels = new ArrayList<>(count);
		try {
			for (int i = 0; i < count; i++) {
				SocketChannel channel = SocketChannel.open();
				channels.add(channel);
				channel.setOption(StandardSocketOptions.SO_LINGER, 0);
				channel.connect(this.server);
			}
			return channels;
		}
		catch (IOException | RuntimeException ex) {
			closeAll(channels);
			throw ex;
		}
	}

	/**
	 * Sends {@code request} on each blocking channel and reads {@code reply} back, one channel after the other, so
	 * each connection has had one exchange before it idles.
	 */
	static void exchange(List<SocketChannel> channels, String request, String reply) throws IOException {
		byte[] expected = reply.getBytes(StandardCharsets.US_ASCII);
		for (SocketChannel channel : channels) {
			channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
			ByteBuffer received = ByteBuffer.allocate(expected.length);
			while (received.hasRemaining()) {
				if (channel.read(received) < 0) {
					throw new IOException("EOF before the reply " + reply.strip());
				}
			}
			if (!Arrays.equals(received.array(), expected)) {
				throw new IOException("Expected " + reply.strip() + ", got "
						+ new String(received.array(), StandardCharsets.US_ASCII));
			}
		}
	}

	/** Closes every channel, keeping the first error. */
	static void closeAll(List<SocketChannel> channels) throws IOException {
		IOException failure = null;
		for (SocketChannel channel : channels) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				failure = (failure != null) ? failure : ex;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private SocketChannel connect() throws IOException {
		SocketChannel channel = SocketChannel.open(this.server);
		channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
		channel.configureBlocking(false);
		return channel;
	}

	private long drive(Selector selector, Duration warmup, Span measure, Window window) throws IOException {
		try {
			run(selector, Span.of(warmup));
			while (true) {
				while (!window.open()) {
					run(selector, Span.of(MORE_WARMUP));
				}
				long start = this.work;
				this.latency.reset();
				run(selector, measure);
				long done = this.work - start;
				if (window.close()) {
					return done;
				}
			}
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	private void run(Selector selector, Span span) throws IOException {
		long start = System.nanoTime();
		long workBefore = this.work;
		while (!span.over(System.nanoTime() - start, this.work - workBefore)) {
			selector.select(this.onReady, SELECT_TIMEOUT_MILLIS);
		}
	}

	private static ByteBuffer pattern(int size) {
		ByteBuffer buffer = ByteBuffer.allocateDirect(size);
		for (int i = 0; i < size; i++) {
			buffer.put(i, (byte) ('a' + i % 26));
		}
		return buffer;
	}

	/**
	 * A connection's part in a run: told when its channel is ready. Over TLS it completes the handshake first;
	 * then {@link #connected()} starts its work.
	 */
	private abstract class Endpoint {

		protected final SocketChannel channel;

		protected final Wire wire;

		protected final SelectionKey key;

		private boolean connected;

		Endpoint(SocketChannel channel, Selector selector) throws IOException {
			this.channel = channel;
			this.wire = (LoadClient.this.tls != null) ? new TlsWire(channel, LoadClient.this.tls) : Wire.plain(channel);
			this.key = channel.register(selector, 0, this);
		}

		/** Starts the handshake, or the work on a plain connection. */
		final void start() throws IOException {
			handshake();
		}

		final void ready(SelectionKey key) throws IOException {
			if (this.connected) {
				io(key);
			}
			else {
				handshake();
			}
		}

		private void handshake() throws IOException {
			this.connected = this.wire.handshake();
			if (!this.connected) {
				this.key.interestOps(this.wire.hasPendingOutput() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
				return;
			}
			if (LoadClient.this.tlsSession == null && this.wire instanceof TlsWire tlsWire) {
				LoadClient.this.tlsSession = tlsWire.session();
			}
			connected();
		}

		/** The connection is ready for data: start the work. */
		abstract void connected() throws IOException;

		/** The channel is ready for the work. */
		abstract void io(SelectionKey key) throws IOException;

		static void checkOpen(int read) throws EOFException {
			if (read < 0) {
				throw new EOFException("The server closed a connection during the run");
			}
		}

	}

	/** One ping-pong connection: a request in flight, then its echo, checked byte for byte. */
	private class Requester extends Endpoint {

		final ByteBuffer message;

		private final ByteBuffer out;

		private final ByteBuffer in;

		/** When the request in flight was handed to the socket, from {@link System#nanoTime()}. */
		private long sentAt;

		Requester(SocketChannel channel, Selector selector, ByteBuffer message) throws IOException {
			super(channel, selector);
			this.message = message;
			this.out = message.duplicate();
			this.in = ByteBuffer.allocateDirect(message.capacity());
		}

		@Override
		void connected() throws IOException {
			send();
		}

		void send() throws IOException {
			this.out.clear();
			this.sentAt = System.nanoTime();
			flush();
		}

		private void flush() throws IOException {
			this.wire.write(this.out);
			this.key.interestOps((this.out.hasRemaining() || this.wire.hasPendingOutput())
					? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
		}

		@Override
		void io(SelectionKey key) throws IOException {
			if (key.isWritable()) {
				flush();
			}
			if (key.isReadable()) {
				checkOpen(this.wire.read(this.in));
				if (!this.in.hasRemaining()) {
					this.in.flip();
					if (this.in.mismatch(this.message) != -1) {
						throw new IOException("The echo differs from the request");
					}
					this.in.clear();
					echoed();
				}
			}
		}

		/** Returns the time since the request in flight was handed to the socket. */
		final long roundTrip() {
			return System.nanoTime() - this.sentAt;
		}

		/** The whole echo came back, as sent: count it with its round trip and send the next request. */
		void echoed() throws IOException {
			LoadClient.this.work++;
			LoadClient.this.latency.record(roundTrip());
			send();
		}

	}

	/** One handshaking connection: once its one echo came back, it counts a handshake, resets and starts over. */
	private final class Handshaker extends Requester {

		private final Selector selector;

		Handshaker(SocketChannel channel, Selector selector, ByteBuffer message) throws IOException {
			super(channel, selector, message);
			this.selector = selector;
		}

		@Override
		void echoed() throws IOException {
			LoadClient.this.work++;
			// A reset leaves no TIME_WAIT behind, so thousands of connections a second do not run out of ports.
			this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
			this.channel.close();
			new Handshaker(connect(), this.selector, this.message).start();
		}

	}

	/** The streaming connection: writes whenever the socket takes data, counts what comes back. */
	private final class Streamer extends Endpoint {

		private final ByteBuffer out;

		private final ByteBuffer in;

		Streamer(SocketChannel channel, Selector selector, ByteBuffer chunk) throws IOException {
			super(channel, selector);
			this.out = chunk;
			this.in = ByteBuffer.allocateDirect(chunk.capacity());
		}

		@Override
		void connected() {
			this.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
		}

		@Override
		void io(SelectionKey key) throws IOException {
			if (key.isWritable()) {
				this.wire.write(this.out);
				if (!this.out.hasRemaining()) {
					this.out.clear();
				}
			}
			if (key.isReadable()) {
				int read = this.wire.read(this.in);
				checkOpen(read);
				LoadClient.this.work += read;
				this.in.clear();
			}
		}

	}

}
