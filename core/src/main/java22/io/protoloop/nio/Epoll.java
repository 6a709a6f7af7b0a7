package io.protoloop.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Linux's epoll, eventfd and {@code poll(2)} as static calls: what {@link EpollIo} waits with. Failures become
 * {@link IOException}s worded by {@link NativeCalls#error}; an interrupted wait ({@code EINTR}) is a wait that
 * saw nothing.
 */
final class Epoll {

	/** {@code EPOLL_CTL_ADD}: adds a descriptor to the set. */
	static final int CTL_ADD = 1;

	/** {@code EPOLL_CTL_DEL}: removes a descriptor from the set. */
	static final int CTL_DEL = 2;

	/** {@code EPOLL_CTL_MOD}: changes the events of a descriptor in the set. */
	static final int CTL_MOD = 3;

	/** {@code EPOLLIN}: readable, or a connection to accept. */
	static final int EPOLLIN = 0x001;

	/** {@code EPOLLOUT}: writable, or a connection attempt done. */
	static final int EPOLLOUT = 0x004;

	/** {@code EPOLLERR}: an error is pending; always reported. */
	static final int EPOLLERR = 0x008;

	/** {@code EPOLLHUP}: hung up; always reported. */
	static final int EPOLLHUP = 0x010;

	/** {@code POLLIN} of {@code poll(2)}. */
	static final short POLLIN = 0x001;

	static final int ENOENT = 2;

	static final int EBADF = 9;

	static final int EEXIST = 17;

	/** {@code EPOLL_CLOEXEC}, which is {@code O_CLOEXEC}, as is {@code EFD_CLOEXEC}. */
	private static final int CLOEXEC = 0x80000;

	/** {@code EFD_NONBLOCK}, which is {@code O_NONBLOCK}. */
	private static final int EFD_NONBLOCK = 0x800;

	/**
	 * Size of a {@code struct epoll_event} (a {@code uint32_t} of events, then a 64-bit {@code data}): packed,
	 * 12 bytes, on x86_64 only ({@code __EPOLL_PACKED}); elsewhere aligned, 16 bytes.
	 */
	static final long EVENT_SIZE;

	/** Where {@code data} begins in a {@code struct epoll_event}; this class stores the descriptor there. */
	private static final long DATA_OFFSET;

	static {
		String arch = System.getProperty("os.arch", "");
		boolean packed = arch.equals("amd64") || arch.equals("x86_64");
		EVENT_SIZE = packed ? 12 : 16;
		DATA_OFFSET = packed ? 4 : 8;
	}

	/** Size of a {@code struct pollfd}: {@code int fd, short events, short revents}. */
	static final long POLLFD_SIZE = 8;

	private static final MethodHandle EPOLL_CREATE1 = NativeCalls.downcall("epoll_create1",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT), true);

	private static final MethodHandle EPOLL_CTL = NativeCalls.downcall("epoll_ctl",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), true);

	/** Blocks: a normal downcall, so the thread is seen as in native code and the GC does not wait for it. */
	private static final MethodHandle EPOLL_WAIT = NativeCalls.downcall("epoll_wait",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), false);

	private static final MethodHandle EVENTFD = NativeCalls.downcall("eventfd",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true);

	private static final MethodHandle WRITE = NativeCalls.downcall("write",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true);

	/** Blocks, like {@link #EPOLL_WAIT}. */
	private static final MethodHandle POLL = NativeCalls.downcall("poll",
			FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), false);

	/** The eventfd increment every {@link #signal} writes; only ever read by the C library. */
	private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_LONG, 1L);

	private Epoll() {
	}

	/**
	 * Opens an epoll set, closed on exec.
	 * @return its descriptor
	 * @throws IOException if the kernel refuses (out of descriptors, say)
	 */
	static int create() throws IOException {
		return NativeCalls.check(EPOLL_CREATE1, CLOEXEC);
	}

	/**
	 * Adds, changes or removes {@code fd} in the set {@code epfd}, with {@code fd} itself as the event's data.
	 * @param epfd the epoll set
	 * @param op {@link #CTL_ADD}, {@link #CTL_MOD} or {@link #CTL_DEL}
	 * @param fd the descriptor
	 * @param events the {@code EPOLL*} events to wait for
	 * @param event a scratch {@code struct epoll_event} ({@link #EVENT_SIZE} bytes) the call reads
	 * @return 0, or the {@code errno} of the failure, for the caller to ignore or to throw
	 */
	static int ctl(int epfd, int op, int fd, int events, MemorySegment event) {
		event.set(ValueLayout.JAVA_INT_UNALIGNED, 0, events);
		event.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA_OFFSET, fd);
		MemorySegment errno = NativeCalls.errnoSegment();
		try {
			int result = (int) EPOLL_CTL.invokeExact(errno, epfd, op, fd, event);
			return (result == 0) ? 0 : NativeCalls.errno(errno);
		}
		catch (Throwable ex) {
			throw NativeCalls.linkFailure(ex);
		}
	}

	/**
	 * Waits for events of the set {@code epfd}.
	 * @param epfd the epoll set
	 * @param events where the kernel writes them: room for {@code maxEvents} of {@link #EVENT_SIZE} bytes
	 * @param maxEvents how many fit
	 * @param timeoutMillis 0 to only look, -1 to wait until one comes, else at most this long
	 * @return how many were written, 0 on timeout or when a signal interrupted the wait
	 * @throws IOException if the wait fails
	 */
	static int await(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		int count;
		try {
			count = (int) EPOLL_WAIT.invokeExact(errno, epfd, events, maxEvents, timeoutMillis);
		}
		catch (Throwable ex) {
			throw NativeCalls.linkFailure(ex);
		}
		return checkWait(count, errno);
	}

	/**
	 * {@return the {@code EPOLL*} events of the {@code index}th event in {@code events}}
	 * @param events what {@link #await} filled
	 * @param index which event
	 */
	static int events(MemorySegment events, int index) {
		return events.get(ValueLayout.JAVA_INT_UNALIGNED, index * EVENT_SIZE);
	}

	/**
	 * {@return the descriptor of the {@code index}th event in {@code events}, as {@link #ctl} stored it}
	 * @param events what {@link #await} filled
	 * @param index which event
	 */
	static int fd(MemorySegment events, int index) {
		return (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, index * EVENT_SIZE + DATA_OFFSET);
	}

	/**
	 * Opens an eventfd: a counter that is readable while non-zero, non-blocking, closed on exec.
	 * @return its descriptor
	 * @throws IOException if the kernel refuses
	 */
	static int eventfd() throws IOException {
		return NativeCalls.check(EVENTFD, 0, EFD_NONBLOCK | CLOEXEC);
	}

	/**
	 * Adds one to the counter of {@code eventfd}, making it readable. A full counter ({@code EAGAIN}) is already
	 * readable, so it counts as done.
	 * @param eventfd the eventfd
	 * @return 0, or the {@code errno} of another failure
	 */
	static int signal(int eventfd) {
		MemorySegment errno = NativeCalls.errnoSegment();
		try {
			long written = (long) WRITE.invokeExact(errno, eventfd, ONE, 8L);
			int error = (written < 0) ? NativeCalls.errno(errno) : 0;
			return (error == NativeCalls.EAGAIN) ? 0 : error;
		}
		catch (Throwable ex) {
			throw NativeCalls.linkFailure(ex);
		}
	}

	/**
	 * Resets the counter of {@code eventfd} to zero, so it is no longer readable; nothing happens if it was zero.
	 * @param eventfd the eventfd
	 * @param scratch 8 bytes the counter is read into
	 */
	static void drain(int eventfd, MemorySegment scratch) throws IOException {
		Libc.read(eventfd, scratch.address(), 8);
	}

	/**
	 * Sets the {@code index}th {@code struct pollfd} of {@code pollfds} to wait for {@link #POLLIN} on {@code fd}.
	 * @param pollfds the array
	 * @param index which entry
	 * @param fd the descriptor
	 */
	static void pollIn(MemorySegment pollfds, int index, int fd) {
		long base = index * POLLFD_SIZE;
		pollfds.set(ValueLayout.JAVA_INT, base, fd);
		pollfds.set(ValueLayout.JAVA_SHORT, base + 4, POLLIN);
		pollfds.set(ValueLayout.JAVA_SHORT, base + 6, (short) 0);
	}

	/**
	 * {@return the {@code revents} the last {@link #poll} set in the {@code index}th entry of {@code pollfds}}
	 * @param pollfds the array
	 * @param index which entry
	 */
	static int revents(MemorySegment pollfds, int index) {
		return pollfds.get(ValueLayout.JAVA_SHORT, index * POLLFD_SIZE + 6);
	}

	/**
	 * Waits with {@code poll(2)} for the entries of {@code pollfds}.
	 * @param pollfds {@code count} entries set with {@link #pollIn}
	 * @param count how many
	 * @param timeoutMillis -1 to wait until one is ready, else at most this long
	 * @return how many entries have {@code revents}, 0 on timeout or when a signal interrupted the wait
	 * @throws IOException if the wait fails
	 */
	static int poll(MemorySegment pollfds, int count, int timeoutMillis) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		int ready;
		try {
			ready = (int) POLL.invokeExact(errno, pollfds, (long) count, timeoutMillis);
		}
		catch (Throwable ex) {
			throw NativeCalls.linkFailure(ex);
		}
		return checkWait(ready, errno);
	}

	/**
	 * {@return the {@code timeoutNanos} of a loop's poll as the milliseconds of {@code epoll_wait}: -1 (no limit)
	 * for negative, 0 for 0, else rounded up so a timer due in under a millisecond does not make the loop spin}
	 * @param timeoutNanos the loop's timeout
	 */
	static int timeoutMillis(long timeoutNanos) {
		if (timeoutNanos <= 0) {
			return (timeoutNanos == 0) ? 0 : -1;
		}
		long millis = timeoutNanos / 1_000_000 + ((timeoutNanos % 1_000_000 != 0) ? 1 : 0);
		return (int) Math.min(millis, Integer.MAX_VALUE);
	}

	private static int checkWait(int count, MemorySegment errno) throws IOException {
		if (count >= 0) {
			return count;
		}
		int error = NativeCalls.errno(errno);
		if (error == NativeCalls.EINTR) {
			return 0;
		}
		throw NativeCalls.error(error);
	}


}
