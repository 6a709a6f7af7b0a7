package io.protoloop.udp;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import io.protoloop.transport.support.PendingWrites;

/**
 * Datagrams waiting for the socket, with their destinations. Each counts its length plus an 8-byte header
 * toward the size, added and removed in this class only, so empty datagrams still count (CPython gh-113812)
 * and the count returns to zero exactly (gh-135444).
 */
final class DatagramQueue implements PendingWrites {

	/** What each queued datagram costs beyond its payload: the size of a UDP header. */
	static final int HEADER_SIZE = 8;

	record Datagram(ByteBuffer data, SocketAddress address) {
	}

	private final ArrayDeque<Datagram> datagrams = new ArrayDeque<>();

	private long size;

	@Override
	public long size() {
		return this.size;
	}

	/** Queues a copy of the remaining bytes of {@code data}. */
	void add(ByteBuffer data, SocketAddress address) {
		ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
		this.datagrams.add(new Datagram(copy, address));
		this.size += copy.remaining() + HEADER_SIZE;
	}

	/** Returns the oldest datagram without removing it, or {@code null}. */
	Datagram peek() {
		return this.datagrams.peekFirst();
	}

	/** Removes the oldest datagram. */
	void remove() {
		Datagram datagram = this.datagrams.pollFirst();
		this.size -= datagram.data().limit() + HEADER_SIZE;
	}

	@Override
	public void clear() {
		this.datagrams.clear();
		this.size = 0;
	}

}
