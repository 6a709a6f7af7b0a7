package io.protoloop.test;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.DatagramQueue;

/**
 * A datagram endpoint with no socket, for unit-testing a {@link DatagramProtocol}: the test plays the network,
 * synchronously on its own thread. It follows the lifecycle every transport shares (core's
 * {@code AbstractTransport}).
 *
 * <p>The test delivers datagrams with {@link #receive(byte[], SocketAddress)} and errors with
 * {@link #error(IOException)}. What the protocol sends waits in a queue until the test lets it go with
 * {@link #peerReads(int)} or {@link #flush()}; as in the socket transport, each queued datagram counts its
 * length plus an 8-byte header toward the watermarks (the same {@code DatagramQueue}), and {@code pauseWriting()}
 * and {@code resumeWriting()} follow the same rules as for streams. {@link #sent()} keeps every datagram ever
 * sent and {@link #events()} the callbacks made, in order ({@code connectionMade}, {@code datagramReceived},
 * {@code errorReceived}, {@code pauseWriting}, {@code resumeWriting}, {@code connectionLost}).
 *
 * <p>The loop, its virtual clock and the exceptions thrown by callbacks work as for {@link InMemoryTransport}:
 * each method a test calls returns with its effects done, and rethrows what a callback it caused threw. Not
 * thread safe: drive it from the test thread, and close the loop ({@code getLoop().close()}) when done.
 */
public final class InMemoryDatagramTransport extends InMemoryEndpoint<DatagramProtocol>
		implements DatagramTransport {

	/** What the protocol sent and the network has not taken. */
	private final DatagramQueue queue;

	/** What the network delivered and the protocol has not read. */
	private final DatagramQueue arrived = new DatagramQueue();

	private final List<Datagram> sent = new ArrayList<>();

	private InMemoryDatagramTransport(TestDriver driver, DatagramProtocol protocol, SocketAddress localAddress,
			SocketAddress remoteAddress, DatagramQueue queue) {
		super(driver.loop(), protocol, queue, driver.settings(), ConnectionTracker.NONE, localAddress, remoteAddress,
				driver);
		this.queue = queue;
	}

	/**
	 * Opens an unconnected endpoint with no local address and calls the protocol's {@code connectionMade}.
	 * @param protocol the protocol to attach
	 * @return the transport, its protocol connected
	 */
	public static InMemoryDatagramTransport open(DatagramProtocol protocol) {
		return open(protocol, null, null);
	}

	/**
	 * Opens an endpoint and calls the protocol's {@code connectionMade}.
	 * @param localAddress what {@code getExtraInfo("sockname")} returns, or {@code null}
	 * @param remoteAddress the connected peer, or {@code null} for an unconnected endpoint, whose every
	 * {@code sendto} needs an address
	 * @param protocol the protocol to attach
	 * @return the transport, its protocol connected
	 */
	public static InMemoryDatagramTransport open(DatagramProtocol protocol, SocketAddress localAddress,
			SocketAddress remoteAddress) {
		Objects.requireNonNull(protocol, "protocol");
		TestDriver driver = new TestDriver("in-memory-datagram-transport");
		InMemoryDatagramTransport transport = new InMemoryDatagramTransport(driver, protocol, localAddress,
				remoteAddress, new DatagramQueue());
		driver.run(() -> transport.start(new CompletableFuture<>()));
		return transport;
	}

	@Override
	protected void callConnectionMade(DatagramProtocol protocol) {
		callback("connectionMade", () -> protocol.connectionMade(this));
	}

	// ---------------------------------------------------------------- the network delivers

	/**
	 * Delivers {@code text} as a UTF-8 datagram from {@code from}; see {@link #receive(byte[], SocketAddress)}.
	 * @param text the datagram's text
	 * @param from the address it comes from
	 */
	public void receive(String text, SocketAddress from) {
		receive(text.getBytes(StandardCharsets.UTF_8), from);
	}

	/**
	 * Delivers a copy of {@code data} (possibly empty) from {@code from} to {@code datagramReceived}, one
	 * datagram per loop callback. Held while reading is paused; dropped once the endpoint is closing, which
	 * reads no more.
	 * @param data the datagram's bytes
	 * @param from the address it comes from
	 */
	public void receive(byte[] data, SocketAddress from) {
		Objects.requireNonNull(from, "from");
		run(() -> {
			if (!isClosing()) {
				this.arrived.add(ByteBuffer.wrap(data), from);
				wake();
			}
		});
	}

	@Override
	void poll() {
		DatagramQueue.Datagram next = this.arrived.peek();
		if (next != null && isReading()) {
			this.arrived.remove();
			recordDatagramRead(next.data().remaining());
			callback("datagramReceived", () -> getProtocol().datagramReceived(next.data(), next.address()));
			wake();
		}
	}

	/**
	 * Reports {@code exc} to {@code errorReceived} at once, even while reading is paused; ignored once closed.
	 * @param exc the error to report
	 */
	public void error(IOException exc) {
		Objects.requireNonNull(exc, "exc");
		run(() -> {
			if (!isConnectionLost()) {
				recordErrorReceived();
				callback("errorReceived", () -> getProtocol().errorReceived(exc));
			}
		});
	}

	// ---------------------------------------------------------------- the network sends

	/**
	 * Sends up to {@code count} queued datagrams, oldest first. This drains the queue: {@code resumeWriting()}
	 * follows by the watermark rules, and a closing endpoint calls {@code connectionLost(null)} once it is empty.
	 * @return the datagrams sent, possibly fewer than {@code count}
	 * @param count how many datagrams to send at most
	 */
	public List<Datagram> peerReads(int count) {
		if (count < 0) {
			throw new IllegalArgumentException("count must not be negative: " + count);
		}
		return call(() -> {
			List<Datagram> taken = new ArrayList<>();
			while (taken.size() < count && this.queue.peek() != null) {
				DatagramQueue.Datagram next = this.queue.remove();
				byte[] bytes = new byte[next.data().remaining()];
				next.data().get(bytes);
				recordDatagramWrite(bytes.length);
				taken.add(new Datagram(bytes, next.address()));
			}
			if (!taken.isEmpty()) {
				maybeResumeProtocol(); // may send more
				flushed();
			}
			return taken;
		});
	}

	/**
	 * Sends every queued datagram; see {@link #peerReads(int)}.
	 * @return the datagrams sent, oldest first
	 */
	public List<Datagram> flush() {
		return peerReads(Integer.MAX_VALUE);
	}

	/**
	 * {@return every datagram the protocol ever sent, in order, queued or not (also those {@code abort()} dropped)}
	 */
	public List<Datagram> sent() {
		return List.copyOf(this.sent);
	}

	// ---------------------------------------------------------------- DatagramTransport

	/** Queues a datagram to the remote address; see {@link #sendto(ByteBuffer, SocketAddress)}. */
	@Override
	public void sendto(ByteBuffer data) {
		sendto(data, null);
	}

	/**
	 * Queues a copy of the remaining bytes of {@code data} (consuming them) for {@code addr}, then pauses the
	 * protocol if the queue goes strictly over the high watermark. The address rules are the socket
	 * transport's; once closing, the datagram is ignored.
	 * @throws IllegalArgumentException if {@code addr} is {@code null} on an unconnected endpoint, differs from
	 * a connected endpoint's remote address (an empty datagram on a connected endpoint goes to
	 * {@code errorReceived}, as on a socket)
	 */
	@Override
	public void sendto(ByteBuffer data, SocketAddress addr) {
		run(() -> {
			SocketAddress target = DatagramQueue.destination(remoteAddress(), addr);
			if (!acceptsWrites()) {
				return;
			}
			IOException unsendable = DatagramQueue.unsendable(remoteAddress(), data);
			if (unsendable != null) {
				recordErrorReceived();
				callback("errorReceived", () -> getProtocol().errorReceived(unsendable));
				return;
			}
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.sent.add(new Datagram(bytes, target));
			this.queue.add(ByteBuffer.wrap(bytes), target);
			maybePauseProtocol();
		});
	}

	@Override
	protected void stopIo() {
		this.arrived.clear();
	}

	/** Nothing is held but memory. */
	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		released.run();
	}

/**
	 * A datagram with its destination or sender. Equal to another with the same bytes and address, so tests can
	 * compare datagrams directly.
	 * @param data the datagram's bytes
	 * @param address where it goes or comes from
	 */
	public record Datagram(byte[] data, SocketAddress address) {

		/**
		 * {@return the payload decoded as UTF-8, for assertions on text protocols}
		 */
		public String text() {
			return new String(this.data, StandardCharsets.UTF_8);
		}

		/** Compares the payload by content, not by array identity. */
		@Override
		public boolean equals(Object other) {
			return other instanceof Datagram that && Arrays.equals(this.data, that.data)
					&& Objects.equals(this.address, that.address);
		}

		/** Hashes the payload by content, consistent with {@link #equals(Object)}. */
		@Override
		public int hashCode() {
			return 31 * Arrays.hashCode(this.data) + Objects.hashCode(this.address);
		}

		/** Shows the payload's bytes rather than the array's identity. */
		@Override
		public String toString() {
			return "Datagram[data=" + Arrays.toString(this.data) + ", address=" + this.address + "]";
		}

	}

}
