package io.protoloop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The UDP load generator: drives a UDP echo server from the calling thread with one selector. Each flow is a
 * datagram socket of its own, connected to the server, that sends one datagram and waits for its echo before it
 * sends the next. Every datagram carries the flow's sequence number in its first 8 bytes, and every echo is
 * compared byte for byte with what was sent. A datagram whose echo has not come back within {@link #TIMEOUT}
 * counts as lost and the flow sends the next one; an echo that comes after that (its sequence number is old) is
 * counted as late and dropped. Allocates nothing per datagram.
 */
final class UdpLoadClient {

	/** How long a flow waits for an echo before it counts the datagram as lost and sends the next. */
	static final Duration TIMEOUT = Duration.ofMillis(100);

	private static final long TIMEOUT_NANOS = TIMEOUT.toNanos();

	/** The select timeout, which is also how often the flows are checked for a lost datagram. */
	private static final long SELECT_TIMEOUT_MILLIS = 10;

	private static final Duration MORE_WARMUP = Duration.ofSeconds(1);

	/** Datagrams echoed back and lost in a measured window. */
	record Result(long echoed, long lost) {
	}

	private final InetSocketAddress server;

	/** Datagrams echoed back (and checked) since the run began. */
	private long echoed;

	/** Datagrams whose echo did not come back in time, since the run began. */
	private long lost;

	/** Echoes that came back after their datagram was counted as lost, since the run began. */
	private long late;

	private final Consumer<SelectionKey> onReady = (key) -> {
		try {
			((Flow) key.attachment()).ready();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	};

	UdpLoadClient(InetSocketAddress server) {
		this.server = server;
	}

	/** Returns the echoes that came back late since this client was created (they count neither way). */
	long late() {
		return this.late;
	}

	/**
	 * Ping-pong over {@code flows} sockets with {@code size}-byte datagrams (at least 8 bytes).
	 * @return the datagrams echoed back and those lost in the measured window
	 */
	Result pingPong(int flows, int size, Duration warmup, Span measure, LoadClient.Window window)
			throws IOException {
		if (size < Long.BYTES) {
			throw new IllegalArgumentException("A datagram must have room for its sequence number: " + size);
		}
		try (Selector selector = Selector.open()) {
			List<Flow> all = new ArrayList<>();
			try {
				for (int i = 0; i < flows; i++) {
					all.add(new Flow(selector, size));
				}
				for (Flow flow : all) {
					flow.send();
				}
				return drive(selector, all, warmup, measure, window);
			}
			finally {
				for (Flow flow : all) {
					flow.channel.close();
				}
			}
		}
	}

	private Result drive(Selector selector, List<Flow> flows, Duration warmup, Span measure,
			LoadClient.Window window) throws IOException {
		try {
			run(selector, flows, Span.of(warmup));
			while (true) {
				while (!window.open()) {
					run(selector, flows, Span.of(MORE_WARMUP));
				}
				long echoedBefore = this.echoed;
				long lostBefore = this.lost;
				run(selector, flows, measure);
				Result result = new Result(this.echoed - echoedBefore, this.lost - lostBefore);
				if (window.close()) {
					return result;
				}
			}
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	/** Runs the flows until {@code span} is over, its work counted in datagrams echoed. */
	private void run(Selector selector, List<Flow> flows, Span span) throws IOException {
		long start = System.nanoTime();
		long echoedBefore = this.echoed;
		long nextCheck = start + TimeUnit.MILLISECONDS.toNanos(SELECT_TIMEOUT_MILLIS);
		long now;
		while (!span.over((now = System.nanoTime()) - start, this.echoed - echoedBefore)) {
			if (now >= nextCheck) {
				// Echoes already received were handled by the select before this check.
				for (int i = 0; i < flows.size(); i++) {
					Flow flow = flows.get(i);
					if (now - flow.sentAt > TIMEOUT_NANOS) {
						this.lost++;
						flow.send();
					}
				}
				nextCheck = now + TimeUnit.MILLISECONDS.toNanos(SELECT_TIMEOUT_MILLIS);
			}
			selector.select(this.onReady, SELECT_TIMEOUT_MILLIS);
		}
	}

	private static void fill(ByteBuffer buffer) {
		for (int i = 0; i < buffer.capacity(); i++) {
			buffer.put(i, (byte) ('a' + i % 26));
		}
	}

	/** One flow: a connected datagram socket with one datagram in flight. */
	private final class Flow {

		private final DatagramChannel channel;

		private final ByteBuffer out;

		/** The datagram as sent, for comparison: a view of {@link #out} with positions of its own. */
		private final ByteBuffer sent;

		/** One byte larger than a datagram, so a longer echo shows. */
		private final ByteBuffer in;

		private long sequence;

		private long sentAt;

		Flow(Selector selector, int size) throws IOException {
			this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
			try {
				this.channel.connect(UdpLoadClient.this.server);
				this.channel.configureBlocking(false);
				this.channel.register(selector, SelectionKey.OP_READ, this);
			}
			catch (IOException | RuntimeException ex) {
				this.channel.close();
				throw ex;
			}
			this.out = ByteBuffer.allocateDirect(size);
			fill(this.out);
			this.sent = this.out.duplicate();
			this.in = ByteBuffer.allocateDirect(size + 1);
		}

		void send() throws IOException {
			this.sequence++;
			this.out.clear();
			this.out.putLong(0, this.sequence);
			this.sentAt = System.nanoTime();
			// A datagram the socket does not take is lost like any other: the timeout sends the next one.
			this.channel.write(this.out);
		}

		/** Reads one datagram: the selector is level-triggered and reports the socket again if more are queued. */
		void ready() throws IOException {
			if (this.channel.read(this.in.clear()) <= 0) {
				return;
			}
			this.in.flip();
			if (this.in.remaining() == this.out.capacity() && this.in.getLong(0) != this.sequence) {
				UdpLoadClient.this.late++;
				return;
			}
			if (this.in.mismatch(this.sent.clear()) != -1) {
				throw new IOException("The echo differs from the datagram sent");
			}
			UdpLoadClient.this.echoed++;
			send();
		}

	}

}
