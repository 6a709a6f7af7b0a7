package io.protoloop.transport.spi;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Datagrams waiting for the socket, with their destinations. Each counts its length plus an 8-byte header
 * toward the size, added and removed in this class only, so empty datagrams still count (CPython gh-113812)
 * and the count returns to zero exactly (gh-135444). Shared by the datagram transport and the test kit.
 */
public final class DatagramQueue implements PendingWrites {

	/** What each queued datagram costs beyond its payload: the size of a UDP header. */
	public static final int HEADER_SIZE = 8;

	/**
	 * A queued datagram.
	 * @param data a copy of its bytes
	 * @param address its destination
	 */
	public record Datagram(ByteBuffer data, SocketAddress address) {
	}

	private final ArrayDeque<Datagram> datagrams = new ArrayDeque<>();

	/** Volatile so that gauges on other threads can read it; written by the loop thread only. */
	private volatile long size;

	@Override
	public long size() {
		return this.size;
	}

	/** Queues a copy of the remaining bytes of {@code data}, consuming them. */
	public void add(ByteBuffer data, SocketAddress address) {
		ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
		this.datagrams.add(new Datagram(copy, address));
		this.size += copy.remaining() + HEADER_SIZE;
	}

	/** Returns the oldest datagram without removing it, or {@code null}. */
	public Datagram peek() {
		return this.datagrams.peekFirst();
	}

	/** Removes and returns the oldest datagram. */
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
