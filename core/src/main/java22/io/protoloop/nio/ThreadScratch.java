package io.protoloop.nio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * A thread's native memory for socket calls (loop threads do the I/O): the {@code struct msghdr} and
 * {@code iovec} array of gathering writes, the area heap buffers are staged in (as the JDK stages them), and the
 * addresses of the last few direct buffers used, so the loop's own buffers cost no {@code MemorySegment} per call.
 */
final class ThreadScratch {

	/** How many bytes of heap buffers one call stages in native memory, at most. */
	static final int STAGING_SIZE = 256 * 1024;

	/** How many direct buffers' addresses a thread remembers: the loop's read and staging buffers, and some. */
	private static final int CACHED_BUFFERS = 4;

	private static final ThreadLocal<ThreadScratch> SCRATCH = ThreadLocal.withInitial(ThreadScratch::new);

	private final ByteBuffer[] cachedBuffers = new ByteBuffer[CACHED_BUFFERS];

	private final long[] cachedBases = new long[CACHED_BUFFERS];

	private int nextCached;

	/** The {@code struct msghdr} of a gathering write. */
	final MemorySegment header;

	/** The {@code iovec} array of a gathering write, {@link Libc#IOV_MAX} entries. */
	final MemorySegment iovecs;

	/** Where heap buffers are staged: {@link #STAGING_SIZE} bytes of native memory. */
	final long stagingAddress;

	/** The staging area as a buffer: its bulk copies from heap buffers allocate nothing. */
	final ByteBuffer staging;

	/** {@return the calling thread's scratch memory} */
	static ThreadScratch get() {
		return SCRATCH.get();
	}

	private ThreadScratch() {
		Arena arena = Arena.ofAuto();
		this.header = arena.allocate(Libc.MSGHDR_SIZE, ValueLayout.JAVA_LONG.byteAlignment());
		this.iovecs = arena.allocate(Libc.IOVEC_SIZE * Libc.IOV_MAX, ValueLayout.JAVA_LONG.byteAlignment());
		MemorySegment staging = arena.allocate(STAGING_SIZE);
		this.stagingAddress = staging.address();
		this.staging = staging.asByteBuffer();
	}

	/**
	 * {@return where a call may write up to {@code target}'s remaining bytes: in place for a direct buffer, the
	 * staging area for a heap buffer; {@link #received} then moves them into place}
	 * @param target the buffer a read or receive fills
	 */
	long target(ByteBuffer target) {
		return target.isDirect() ? address(target) + target.position() : this.stagingAddress;
	}

	/**
	 * {@return how many bytes a call may write at {@link #target}: the remaining bytes, at most
	 * {@link #STAGING_SIZE} for a heap buffer}
	 * @param target the buffer a read or receive fills
	 */
	static int capacity(ByteBuffer target) {
		return target.isDirect() ? target.remaining() : Math.min(target.remaining(), STAGING_SIZE);
	}

	/**
	 * Takes {@code count} bytes a call wrote at {@link #target}: copies them from the staging area into a heap
	 * buffer, and advances the buffer's position.
	 * @param target the buffer
	 * @param count the bytes the call wrote, 0 or more
	 */
	void received(ByteBuffer target, int count) {
		int position = target.position();
		if (!target.isDirect()) {
			target.put(position, this.staging, 0, count);
		}
		target.position(position + count);
	}

	/**
	 * {@return where a call may read the first {@code size} remaining bytes of {@code source}: in place for a
	 * direct buffer; a heap buffer's are copied to the staging area first}
	 * @param source the buffer a write or send takes from
	 * @param size how many bytes, at most {@link #capacity} of it
	 */
	long source(ByteBuffer source, int size) {
		if (source.isDirect()) {
			return address(source) + source.position();
		}
		this.staging.put(0, source, source.position(), size);
		return this.stagingAddress;
	}

	/**
	 * {@return the address of {@code direct}'s first byte (index 0), remembered for the last few buffers}
	 * @param direct a direct buffer
	 */
	long address(ByteBuffer direct) {
		for (int i = 0; i < CACHED_BUFFERS; i++) {
			if (this.cachedBuffers[i] == direct) {
				return this.cachedBases[i];
			}
		}
		long base = MemorySegment.ofBuffer(direct).address() - direct.position();
		int slot = this.nextCached;
		this.cachedBuffers[slot] = direct;
		this.cachedBases[slot] = base;
		this.nextCached = (slot + 1) % CACHED_BUFFERS;
		return base;
	}

	/**
	 * Describes the buffers' remaining bytes in {@link #iovecs}, skipping empty ones, up to {@link Libc#IOV_MAX}
	 * entries and up to a heap buffer that no longer fits the staging area whole.
	 * @return how many entries
	 */
	int describe(ByteBuffer[] sources, int offset, int length) {
		int count = 0;
		int staged = 0;
		for (int i = offset; i < offset + length && count < Libc.IOV_MAX; i++) {
			ByteBuffer source = sources[i];
			int remaining = source.remaining();
			if (remaining == 0) {
				continue;
			}
			long address;
			int size = remaining;
			if (source.isDirect()) {
				address = address(source) + source.position();
			}
			else {
				size = Math.min(remaining, STAGING_SIZE - staged);
				if (size == 0) {
					break;
				}
				this.staging.put(staged, source, source.position(), size);
				address = this.stagingAddress + staged;
				staged += size;
			}
			long entry = count * Libc.IOVEC_SIZE;
			this.iovecs.set(ValueLayout.JAVA_LONG, entry, address);
			this.iovecs.set(ValueLayout.JAVA_LONG, entry + Long.BYTES, size);
			count++;
			if (size < remaining) {
				break;
			}
		}
		return count;
	}

}
