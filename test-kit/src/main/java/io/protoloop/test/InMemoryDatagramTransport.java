package io.protoloop.test;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.support.DatagramQueue;

/**
 * A datagram endpoint with no socket, for unit-testing a {@link DatagramProtocol}: the test plays the network,
 * synchronously on its own thread.
 *
 * <p>The test delivers datagrams with {@link #receive(byte[], SocketAddress)} and errors with
 * {@link #error(IOException)}. What the protocol sends waits in a queue until the test lets it go with
 * {@link #peerReads(int)} or {@link #flush()}; as in the socket transport, each queued datagram counts its
 * length plus an 8-byte header toward the watermarks, and {@code pauseWriting()} and {@code resumeWriting()}
 * follow the same rules as for streams. {@link #sent()} keeps every datagram ever sent and {@link #events()}
 * the callbacks made, in order ({@code connectionMade}, {@code datagramReceived}, {@code errorReceived},
 * {@code pauseWriting}, {@code resumeWriting}, {@code connectionLost}).
 *
 * <p>Callbacks run as for {@link InMemoryTransport}: on the test's thread, {@code connectionLost} never in the
 * middle of another callback, and an exception thrown by a callback propagates to the test method that caused
 * it. Not thread safe: drive it from the test thread.
 */
public final class InMemoryDatagramTransport extends InMemoryEndpoint<DatagramProtocol>
		implements DatagramTransport {

	private final DatagramQueue queue;

	private final List<Datagram> sent = new ArrayList<>();

	private InMemoryDatagramTransport(DatagramProtocol protocol, SocketAddress localAddress,
			SocketAddress remoteAddress, DatagramQueue queue) {
		super(protocol, queue, localAddress, remoteAddress);
		this.queue = queue;
	}

	/** Opens an unconnected endpoint with no local address and calls the protocol's {@code connectionMade}. */
	public static InMemoryDatagramTransport open(DatagramProtocol protocol) {
		return open(protocol, null, null);
	}

	/**
	 * Opens an endpoint and calls the protocol's {@code connectionMade}.
	 * @param localAddress what {@code getExtraInfo("sockname")} returns, or {@code null}
	 * @param remoteAddress the connected peer, or {@code null} for an unconnected endpoint, whose every
	 * {@code sendto} needs an address
	 */
	public static InMemoryDatagramTransport open(DatagramProtocol protocol, SocketAddress localAddress,
			SocketAddress remoteAddress) {
		InMemoryDatagramTransport transport = new InMemoryDatagramTransport(
				Objects.requireNonNull(protocol, "protocol"), localAddress, remoteAddress, new DatagramQueue());
		transport.callback("connectionMade", () -> protocol.connectionMade(transport));
		return transport;
	}

	// ---------------------------------------------------------------- the network delivers

	/** Delivers {@code text} as a UTF-8 datagram from {@code from}; see {@link #receive(byte[], SocketAddress)}. */
	public void receive(String text, SocketAddress from) {
		receive(text.getBytes(StandardCharsets.UTF_8), from);
	}

	/**
	 * Delivers a copy of {@code data} (possibly empty) from {@code from} to {@code datagramReceived}. Held while
	 * reading is paused and delivered in order on {@code resumeReading()}; dropped once the endpoint is closing.
	 */
	public void receive(byte[] data, SocketAddress from) {
		Objects.requireNonNull(from, "from");
		ByteBuffer copy = ByteBuffer.wrap(data.clone());
		arrive(() -> callback("datagramReceived", () -> getProtocol().datagramReceived(copy, from)));
	}

	/** Reports {@code exc} to {@code errorReceived} at once, even while reading is paused; ignored once closed. */
	public void error(IOException exc) {
		Objects.requireNonNull(exc, "exc");
		if (!isConnectionLost()) {
			callback("errorReceived", () -> getProtocol().errorReceived(exc));
		}
	}

	// ---------------------------------------------------------------- the network sends

	/**
	 * Sends up to {@code count} queued datagrams, oldest first. This drains the queue: {@code resumeWriting()}
	 * follows by the watermark rules, and a closing endpoint calls {@code connectionLost(null)} once it is empty.
	 * @return the datagrams sent, possibly fewer than {@code count}
	 */
	public List<Datagram> peerReads(int count) {
		if (count < 0) {
			throw new IllegalArgumentException("count must not be negative: " + count);
		}
		List<Datagram> taken = new ArrayList<>();
		while (taken.size() < count && !this.queue.isEmpty()) {
			DatagramQueue.Datagram next = this.queue.remove();
			byte[] bytes = new byte[next.data().remaining()];
			next.data().get(bytes);
			taken.add(new Datagram(bytes, next.address()));
		}
		peerTook();
		return taken;
	}

	/** Sends every queued datagram; see {@link #peerReads(int)}. */
	public List<Datagram> flush() {
		return peerReads(Integer.MAX_VALUE);
	}

	/** Returns every datagram the protocol ever sent, in order, queued or not (also those {@code abort()} dropped). */
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
	 * protocol if the queue goes strictly over the high watermark. The address checks are the socket
	 * transport's; once closing, the datagram is ignored.
	 * @throws IllegalArgumentException if {@code addr} is {@code null} on an unconnected endpoint, differs from
	 * a connected endpoint's remote address, or if {@code data} is empty on a connected endpoint
	 */
	@Override
	public void sendto(ByteBuffer data, SocketAddress addr) {
		SocketAddress target = destination(data, addr);
		if (isClosing()) {
			return;
		}
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		Datagram datagram = new Datagram(bytes, target);
		this.sent.add(datagram);
		this.queue.add(ByteBuffer.wrap(bytes), target);
		maybePauseWriting();
	}

	private SocketAddress destination(ByteBuffer data, SocketAddress addr) {
		SocketAddress remote = remoteAddress();
		if (remote == null) {
			if (addr == null) {
				throw new IllegalArgumentException(
						"sendto() needs an address: the endpoint was opened without a remote address");
			}
			return addr;
		}
		if (addr != null && !addr.equals(remote)) {
			throw new IllegalArgumentException("Invalid address: must be null or " + remote);
		}
		if (!data.hasRemaining()) {
			throw new IllegalArgumentException("Cannot send an empty datagram on a connected endpoint (the JDK "
					+ "skips it); open the endpoint without a remote address to send empty datagrams");
		}
		return remote;
	}

	/**
	 * A datagram with its destination or sender. Equal to another with the same bytes and address, so tests can
	 * compare datagrams directly.
	 * @param data the payload
	 * @param address where it goes or comes from
	 */
	public record Datagram(byte[] data, SocketAddress address) {

		/** Returns the payload decoded as UTF-8, for assertions on text protocols. */
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
