package io.protoloop.transport.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Datagrams waiting for the socket, with their destinations. Each counts its length plus an 8-byte header
 * toward the size, added and removed in this class only, so empty datagrams still count (CPython gh-113812)
 * and the count returns to zero exactly (gh-135444). Shared by the datagram transport and the test kit, with
 * the rule for a datagram's destination.
 */
public final class DatagramQueue implements PendingWrites {

	/** What each queued datagram costs beyond its payload: the size of a UDP header. */
	public static final int HEADER_SIZE = 8;

	/**
	 * A queued datagram.
	 * @param data a copy of its bytes
	 * @param address its destination, or {@code null} for a connected endpoint's peer
	 */
	public record Datagram(ByteBuffer data, SocketAddress address) {
	}

	private final ArrayDeque<Datagram> datagrams = new ArrayDeque<>();

	/**
	 * {@return where {@code sendto(data, addr)} goes: a connected endpoint's peer, or {@code addr}}
	 * @param remote the connected peer, or {@code null}
	 * @param addr the address given to {@code sendto}, or {@code null}
	 * @throws IllegalArgumentException if {@code addr} names another peer than a connected endpoint's, or if an
	 * unconnected endpoint gets no address
	 */
	public static SocketAddress destination(SocketAddress remote, SocketAddress addr) {
		if (remote != null) {
			if (addr != null && !addr.equals(remote)) {
				throw new IllegalArgumentException("Invalid address: must be null or " + remote);
			}
			return remote;
		}
		if (addr == null) {
			throw new IllegalArgumentException(
					"sendto() needs an address: the endpoint was created without a remote address");
		}
		return addr;
	}

	/**
	 * {@return why {@code data} cannot be sent, for {@code errorReceived}, or {@code null} when it can} JDK 17 writes a
	 * connected datagram socket with write(2), which it skips for empty buffers, and has no other call that sends one.
	 * CPython sends it; Protoloop reports it and never throws.
	 * @param remote the connected peer, or {@code null}
	 * @param data a copy of its bytes
	 */
	public static IOException unsendable(SocketAddress remote, ByteBuffer data) {
		if (remote != null && !data.hasRemaining()) {
			return new IOException("An empty datagram cannot be sent on a connected endpoint: the JDK skips "
					+ "zero-length sends on connected datagram sockets. Create the endpoint without remoteAddress to "
					+ "send empty datagrams");
		}
		return null;
	}

	/** Volatile so that gauges on other threads can read it; written by the loop thread only. */
	private volatile long size;

	@Override
	public long size() {
		return this.size;
	}

	/**
	 * Queues a copy of the remaining bytes of {@code data}, consuming them.
	 * @param data a copy of its bytes
	 * @param address its destination, or {@code null} for a connected endpoint's peer
	 */
	public void add(ByteBuffer data, SocketAddress address) {
		ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
		this.datagrams.add(new Datagram(copy, address));
		this.size += copy.remaining() + HEADER_SIZE;
	}

	/**
	 * {@return the oldest datagram without removing it, or {@code null}}
	 */
	public Datagram peek() {
		return this.datagrams.peekFirst();
	}

	/**
	 * Removes the oldest datagram and takes it off the queue's size.
	 * @return the datagram removed, the one {@link #peek()} returned
	 * @throws java.util.NoSuchElementException if the queue is empty
	 */
	public Datagram remove() {
		Datagram datagram = this.datagrams.removeFirst();
		this.size -= datagram.data().limit() + HEADER_SIZE;
		return datagram;
	}

	@Override
	public void clear() {
		this.datagrams.clear();
		this.size = 0;
	}

}
