package io.protoloop.transport.spi;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The data a transport has accepted and the operating system has not: a queue of byte buffers with an O(1)
 * byte count. It is the only place that counts buffered bytes, so the count cannot drift from the content.
 *
 * <p>Entries are copies owned by the buffer. A small write is appended to the spare room of the last entry
 * instead of becoming an entry of its own, so many small writes to a slow peer cost few objects.
 */
public final class WriteBuffer implements PendingWrites {

	/** Smallest capacity of a new entry: room for small writes that follow. */
	static final int MIN_CHUNK = 4096;

	/** Small at first: most connections never buffer, and there are many connections (it grows as needed). */
	private final ArrayDeque<ByteBuffer> entries = new ArrayDeque<>(2);

	/** Volatile so that gauges on other threads can read it; written by the loop thread only. */
	private volatile long size;

	/** Returns the number of buffered bytes. */
	@Override
	public long size() {
		return this.size;
	}

	/**
	 * Copies the remaining bytes of {@code data} to the end of the buffer and consumes them from {@code data}.
	 * @param data the bytes to queue, from its position to its limit
	 */
	public void add(ByteBuffer data) {
		int length = data.remaining();
		if (length == 0) {
			return;
		}
		ByteBuffer last = this.entries.peekLast();
		if (last != null && last.capacity() - last.limit() >= length) {
			int end = last.limit();
			last.limit(end + length);
			last.put(end, data, data.position(), length);
		}
		else {
			ByteBuffer copy = ByteBuffer.allocate(Math.max(length, MIN_CHUNK));
			copy.put(0, data, data.position(), length);
			copy.limit(length);
			this.entries.add(copy);
		}
		data.position(data.limit());
		this.size += length;
	}

	/**
	 * Copies {@code length} bytes of {@code data} from {@code offset} to the end of the buffer.
	 * @param data the array holding the bytes to queue; the buffer keeps a copy
	 * @param offset where in {@code data} to start
	 * @param length how many bytes
	 */
	public void add(byte[] data, int offset, int length) {
		add(ByteBuffer.wrap(data, offset, length));
	}

	/**
	 * Puts the buffered entries, oldest first, into {@code array} for a gathering write.
	 * @param array the array to fill
	 * @return how many entries were put
	 */
	public int fill(ByteBuffer[] array) {
		int count = 0;
		for (ByteBuffer entry : this.entries) {
			if (count == array.length) {
				break;
			}
			array[count++] = entry;
		}
		return count;
	}

	/**
	 * {@return the oldest entry, or {@code null}}
	 */
	public ByteBuffer first() {
		return this.entries.peekFirst();
	}

	/**
	 * {@return the number of entries}
	 */
	public int entryCount() {
		return this.entries.size();
	}

	/**
	 * Accounts for {@code written} bytes sent from the front of the buffer (the entries' positions were already
	 * advanced by the write) and drops the entries that are now empty.
	 * @param written how many bytes were written
	 */
	public void consumed(long written) {
		this.size -= written;
		ByteBuffer head;
		while ((head = this.entries.peekFirst()) != null && !head.hasRemaining()) {
			this.entries.pollFirst();
		}
	}

	/** Drops everything. */
	@Override
	public void clear() {
		this.entries.clear();
		this.size = 0;
	}

}
