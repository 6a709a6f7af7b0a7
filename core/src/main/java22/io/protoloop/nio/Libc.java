package io.protoloop.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.BindException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The socket system calls of the native sockets, as Java methods: retry on {@code EINTR}, "nothing now" for
 * {@code EAGAIN}, and an {@code IOException} worded like the JDK's for the rest. The constants are Linux's, the
 * same on x86_64 and aarch64. The non-blocking transfer calls ({@link #read}, {@link #send}, {@link #sendmsg},
 * {@link #recvfrom}, {@link #sendto}) are critical downcalls that take native addresses, so none allocates.
 *
 * <p>Long because it is every socket call of the backend in one place, each a short method with the errors
 * that call can give; split, the same handle and errno code would be spread over several classes.
 */
final class Libc {

	static final int AF_UNIX = 1;

	static final int AF_INET = 2;

	static final int AF_INET6 = 10;

	static final int SOL_SOCKET = 1;

	static final int SO_REUSEADDR = 2;

	static final int SO_KEEPALIVE = 9;

	static final int SO_REUSEPORT = 15;

	static final int IPPROTO_TCP = 6;

	static final int TCP_NODELAY = 1;

	/** Lets a datagram socket send to a broadcast address. */
	static final int SO_BROADCAST = 6;

	/** A stream socket: TCP, or a Unix domain stream. */
	static final int SOCK_STREAM = 1;

	/** A datagram socket: UDP. */
	static final int SOCK_DGRAM = 2;

	private static final int IPPROTO_IPV6 = 41;

	private static final int IPV6_V6ONLY = 26;

	private static final int SO_ERROR = 4;

	/** The send buffer's size. */
	static final int SO_SNDBUF = 7;

	/** The receive buffer's size. */
	static final int SO_RCVBUF = 8;

	private static final int SO_LINGER = 13;

	private static final int SOCK_NONBLOCK = 0x800;

	private static final int SOCK_CLOEXEC = 0x80000;

	private static final int MSG_NOSIGNAL = 0x4000;

	private static final int SHUT_WR = 1;

	private static final int ECONNABORTED = 103;

	private static final int ENOTCONN = 107;

	private static final int ECONNREFUSED = 111;

	/** Linux's {@code IOV_MAX}: the most buffers one {@link #sendmsg} takes. */
	static final int IOV_MAX = 1024;

	/** {@code sizeof(struct iovec)}: a base address and a length. */
	static final long IOVEC_SIZE = 16;

	/** {@code sizeof(struct msghdr)} on 64-bit Linux. */
	static final long MSGHDR_SIZE = 56;

	private static final long MSG_IOV_OFFSET = 16;

	private static final long MSG_IOVLEN_OFFSET = 24;

	private static final MethodHandle SOCKET = NativeCalls.downcall("socket",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), false);

	private static final MethodHandle BIND = NativeCalls.downcall("bind",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);

	private static final MethodHandle LISTEN = NativeCalls.downcall("listen",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false);

	private static final MethodHandle ACCEPT4 = NativeCalls.downcall("accept4",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), false);

	private static final MethodHandle CONNECT = NativeCalls.downcall("connect",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);

	private static final MethodHandle GETSOCKOPT = NativeCalls.downcall("getsockopt",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);

	private static final MethodHandle SETSOCKOPT = NativeCalls.downcall("setsockopt",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);

	private static final MethodHandle GETSOCKNAME = NativeCalls.downcall("getsockname",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);

	private static final MethodHandle GETPEERNAME = NativeCalls.downcall("getpeername",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);

	/** Takes the buffer as a raw address: callers pass direct memory only, and no segment is made per call. */
	private static final MethodHandle READ = NativeCalls.downcall("read",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), true);

	/** Takes the buffer as a raw address, as {@link #READ} does. */
	private static final MethodHandle SEND = NativeCalls.downcall("send",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), true);

	/** Takes the datagram's buffer as a raw address, as {@link #READ} does. */
	private static final MethodHandle RECVFROM = NativeCalls.downcall("recvfrom",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), true);

	/** Takes the datagram's buffer as a raw address, as {@link #READ} does. */
	private static final MethodHandle SENDTO = NativeCalls.downcall("sendto",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), true);

	private static final MethodHandle SENDMSG = NativeCalls.downcall("sendmsg",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), true);

	private static final MethodHandle SHUTDOWN = NativeCalls.downcall("shutdown",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false);

	private static final MethodHandle CLOSE = NativeCalls.downcall("close",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);

	private Libc() {
	}

	/**
	 * Opens a non-blocking, close-on-exec socket and sets it up; an IPv6 one is dual-stack ({@code IPV6_V6ONLY}
	 * off), as the JDK makes its own. A failed set-up closes the descriptor.
	 * @param family {@link #AF_INET}, {@link #AF_INET6} or {@link #AF_UNIX}
	 * @param type {@link #SOCK_STREAM} or {@link #SOCK_DGRAM}
	 * @param setup what to do with the descriptor before it is handed out: options, bind, listen, connect
	 * @return its descriptor
	 * @throws IOException if the family is unavailable, descriptors ran out, or the set-up failed
	 */
	static int socket(int family, int type, Setup setup) throws IOException {
		int fd = NativeCalls.check(SOCKET, family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		try {
			if (family == AF_INET6) {
				setOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0);
			}
			setup.accept(fd);
		}
		catch (IOException | RuntimeException ex) {
			closeAfter(fd, ex);
			throw ex;
		}
		return fd;
	}

	/** The set-up of a new socket's descriptor, for {@link #socket}. */
	@FunctionalInterface
	interface Setup {

		/**
		 * Sets up {@code fd}.
		 * @param fd the new descriptor
		 * @throws IOException if it cannot be set up
		 */
		void accept(int fd) throws IOException;

	}

	/**
	 * Closes {@code fd} after {@code failure} made it useless, recording a failure to close on it.
	 * @param fd the descriptor
	 * @param failure what went wrong with it
	 */
	static void closeAfter(int fd, Throwable failure) {
		try {
			close(fd);
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	/**
	 * {@return whether this host has IPv6: whether an {@code AF_INET6} socket opens; asked once, as the JDK asks}
	 */
	static boolean ipv6Available() {
		return Ipv6.AVAILABLE;
	}

	/** The answer of {@link #ipv6Available()}, found when first asked. */
	private static final class Ipv6 {

		static final boolean AVAILABLE = probe();

		private Ipv6() {
		}

		private static boolean probe() {
			try {
				close(socket(AF_INET6, SOCK_STREAM, (fd) -> { }));
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

	}

	/**
	 * Binds {@code fd} to {@code address}.
	 * @param fd the socket
	 * @param family the socket's family
	 * @param address where to bind
	 * @throws BindException if the address is taken or not local
	 * @throws IOException if the address does not suit the family
	 */
	static void bind(int fd, int family, SocketAddress address) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment sockaddr = arena.allocate(SocketAddresses.MAX_LENGTH);
			int length = SocketAddresses.encode(address, family, sockaddr);
			int result;
			try {
				result = (int) BIND.invokeExact(errno, fd, sockaddr, length);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (result < 0) {
				throw new BindException(NativeCalls.message(NativeCalls.errno(errno)));
			}
		}
	}

	/**
	 * Makes {@code fd} a listening socket.
	 * @param fd the bound socket
	 * @param backlog the length of its queue of accepted connections
	 * @throws IOException if it cannot listen
	 */
	static void listen(int fd, int backlog) throws IOException {
		NativeCalls.check(LISTEN, fd, backlog);
	}

	/**
	 * Accepts a connection from listening {@code fd}, skipping any aborted before it was accepted.
	 * @param fd the listening socket
	 * @return the connection's non-blocking, close-on-exec descriptor, or -1 when none is waiting
	 * @throws IOException if accepting failed (out of descriptors, say)
	 */
	static int accept(int fd) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		while (true) {
			int accepted;
			try {
				accepted = (int) ACCEPT4.invokeExact(errno, fd, MemorySegment.NULL, MemorySegment.NULL,
						SOCK_NONBLOCK | SOCK_CLOEXEC);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (accepted >= 0) {
				return accepted;
			}
			int error = NativeCalls.errno(errno);
			if (error == NativeCalls.EAGAIN) {
				return -1;
			}
			if (error != NativeCalls.EINTR && error != ECONNABORTED) {
				throw NativeCalls.error(error);
			}
		}
	}

	/**
	 * Starts connecting {@code fd} to {@code address}.
	 * @param fd the non-blocking socket
	 * @param family the socket's family
	 * @param address the peer
	 * @return {@code true} if connected at once, {@code false} if the connection is in progress
	 * @throws ConnectException if the connection failed at once
	 * @throws IOException if the address does not suit the family
	 */
	static boolean connect(int fd, int family, SocketAddress address) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment sockaddr = arena.allocate(SocketAddresses.MAX_LENGTH);
			int length = SocketAddresses.encode(address, family, sockaddr);
			int result;
			try {
				result = (int) CONNECT.invokeExact(errno, fd, sockaddr, length);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (result == 0) {
				return true;
			}
		}
		int error = NativeCalls.errno(errno);
		// An interrupted connect goes on in the background, as one in progress does.
		if (error == NativeCalls.EINPROGRESS || error == NativeCalls.EINTR) {
			return false;
		}
		throw connectError(error);
	}

	/**
	 * {@return the pending error of {@code fd} ({@code SO_ERROR}), 0 if none, clearing it}
	 * @param fd the socket
	 * @throws IOException if the option cannot be read
	 */
	static int socketError(int fd) throws IOException {
		return getOption(fd, SOL_SOCKET, SO_ERROR);
	}

	/**
	 * {@return an integer socket option; a flag reads 0 or 1}
	 * @param fd the socket
	 * @param level {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
	 * @param option the option at that level
	 * @throws IOException if the option cannot be read
	 */
	static int getOption(int fd, int level, int option) throws IOException {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment value = arena.allocate(JAVA_INT);
			getsockopt(fd, level, option, value);
			return value.get(JAVA_INT, 0);
		}
	}

	/**
	 * {@return {@code SO_LINGER}: the seconds a close waits for unsent data, or -1 when off, as the JDK reports it}
	 * @param fd the socket
	 * @throws IOException if the option cannot be read
	 */
	static int linger(int fd) throws IOException {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment value = arena.allocate(JAVA_INT, 2);
			getsockopt(fd, SOL_SOCKET, SO_LINGER, value);
			return (value.getAtIndex(JAVA_INT, 0) != 0) ? value.getAtIndex(JAVA_INT, 1) : -1;
		}
	}

	/**
	 * Sets {@code SO_LINGER}; 0 makes a close reset the connection.
	 * @param fd the socket
	 * @param seconds how long a close waits for unsent data, or negative to turn lingering off
	 * @throws IOException if the option cannot be set
	 */
	static void setLinger(int fd, int seconds) throws IOException {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment value = arena.allocate(JAVA_INT, 2);
			value.setAtIndex(JAVA_INT, 0, (seconds >= 0) ? 1 : 0);
			value.setAtIndex(JAVA_INT, 1, Math.max(seconds, 0));
			setsockopt(fd, SOL_SOCKET, SO_LINGER, value);
		}
	}

	private static void getsockopt(int fd, int level, int option, MemorySegment value) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		int result;
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment length = arena.allocateFrom(JAVA_INT, (int) value.byteSize());
			result = (int) GETSOCKOPT.invokeExact(errno, fd, level, option, value, length);
		}
		catch (Throwable ex) {
			throw NativeCalls.linkFailure(ex);
		}
		if (result < 0) {
			throw NativeCalls.error(NativeCalls.errno(errno));
		}
	}

	private static void setsockopt(int fd, int level, int option, MemorySegment value) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		int result;
		try {
			result = (int) SETSOCKOPT.invokeExact(errno, fd, level, option, value, (int) value.byteSize());
		}
		catch (Throwable ex) {
			throw NativeCalls.linkFailure(ex);
		}
		if (result < 0) {
			throw NativeCalls.error(NativeCalls.errno(errno));
		}
	}

	/**
	 * {@return a {@link ConnectException} for a connection that failed with {@code errno}, as the JDK's reads}
	 * @param errno why: {@code ECONNREFUSED} reads "Connection refused"
	 */
	static ConnectException connectError(int errno) {
		return new ConnectException(NativeCalls.message(errno));
	}

	/**
	 * Sets an integer socket option.
	 * @param fd the socket
	 * @param level {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
	 * @param option the option at that level
	 * @param value its value; 1 and 0 turn a flag on and off
	 * @throws IOException if the option cannot be set
	 */
	static void setOption(int fd, int level, int option, int value) throws IOException {
		try (Arena arena = Arena.ofConfined()) {
			setsockopt(fd, level, option, arena.allocateFrom(JAVA_INT, value));
		}
	}

	/**
	 * {@return the address {@code fd} is bound to}
	 * @param fd the socket
	 * @throws IOException if the descriptor is not a socket
	 */
	static SocketAddress localAddress(int fd) throws IOException {
		return address(GETSOCKNAME, fd);
	}

	/**
	 * {@return the address of the peer of {@code fd}, {@code null} if not connected}
	 * @param fd the socket
	 * @throws IOException if the descriptor is not a socket
	 */
	static SocketAddress peerAddress(int fd) throws IOException {
		return address(GETPEERNAME, fd);
	}

	/** Asks {@code getsockname} or {@code getpeername} ({@code call}) for an address, null on {@code ENOTCONN}. */
	private static SocketAddress address(MethodHandle handle, int fd) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment sockaddr = arena.allocate(SocketAddresses.MAX_LENGTH);
			MemorySegment length = arena.allocateFrom(JAVA_INT, SocketAddresses.MAX_LENGTH);
			int result;
			try {
				result = (int) handle.invokeExact(errno, fd, sockaddr, length);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (result == 0) {
				return SocketAddresses.decode(sockaddr, length.get(JAVA_INT, 0));
			}
			int error = NativeCalls.errno(errno);
			if (error == ENOTCONN) {
				return null;
			}
			throw NativeCalls.error(error);
		}
	}

	/**
	 * Reads into {@code target}, non-blocking.
	 * @param fd the connected socket
	 * @param address where the bytes go, in native memory
	 * @param length the most bytes to read
	 * @return the bytes read, 0 when none are there now, -1 at end of stream
	 * @throws IOException if the connection failed ("Connection reset by peer")
	 */
	static int read(int fd, long address, long length) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		while (true) {
			long count;
			try {
				count = (long) READ.invokeExact(errno, fd, address, length);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (count > 0) {
				return (int) count;
			}
			if (count == 0) {
				return (length == 0) ? 0 : -1;
			}
			int error = NativeCalls.errno(errno);
			if (error == NativeCalls.EAGAIN) {
				return 0;
			}
			if (error != NativeCalls.EINTR) {
				throw NativeCalls.error(error);
			}
		}
	}

	/**
	 * Sends {@code source}, non-blocking, with no {@code SIGPIPE}: a closed peer makes it fail with "Broken pipe".
	 * @param fd the connected socket
	 * @param address the bytes, in native memory
	 * @param length how many
	 * @return the bytes the socket took, 0 when it takes none now
	 * @throws IOException if the connection failed
	 */
	static int send(int fd, long address, long length) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		while (true) {
			long count;
			try {
				count = (long) SEND.invokeExact(errno, fd, address, length, MSG_NOSIGNAL);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (count >= 0) {
				return (int) count;
			}
			int error = NativeCalls.errno(errno);
			if (error == NativeCalls.EAGAIN) {
				return 0;
			}
			if (error != NativeCalls.EINTR) {
				throw NativeCalls.error(error);
			}
		}
	}

	/**
	 * Receives one datagram, non-blocking, with its sender's address.
	 * @param fd the datagram socket
	 * @param address where the datagram goes, in native memory
	 * @param capacity the room there; a longer datagram is truncated to it
	 * @param sockaddr {@link SocketAddresses#MAX_LENGTH} bytes of native memory for the sender's address
	 * @param length an {@code int} of native memory: the room in {@code sockaddr} is written to it here, and the
	 * kernel writes the address's length
	 * @return the datagram's length (0 for an empty one), or -1 when none is waiting
	 * @throws java.net.PortUnreachableException if a datagram of this connected socket found no listener
	 * @throws IOException if receiving failed
	 */
	static int recvfrom(int fd, long address, long capacity, MemorySegment sockaddr, MemorySegment length)
			throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		while (true) {
			length.set(JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
			long count;
			try {
				count = (long) RECVFROM.invokeExact(errno, fd, address, capacity, 0, sockaddr, length);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (count >= 0) {
				return (int) count;
			}
			int error = NativeCalls.errno(errno);
			if (error == NativeCalls.EAGAIN) {
				return -1;
			}
			if (error != NativeCalls.EINTR) {
				throw datagramError(error);
			}
		}
	}

	/**
	 * Sends one datagram, non-blocking.
	 * @param fd the datagram socket
	 * @param address the datagram, in native memory
	 * @param size its length
	 * @param sockaddr the destination's {@code sockaddr} in native memory, or {@link MemorySegment#NULL} for the
	 * peer of a connected socket
	 * @param sockaddrLength the length of {@code sockaddr}, 0 with {@code NULL}
	 * @return the bytes sent, 0 when the socket has no room now
	 * @throws java.net.PortUnreachableException if a datagram of this connected socket found no listener
	 * @throws IOException if sending failed ("Message too long", say)
	 */
	static int sendto(int fd, long address, long size, MemorySegment sockaddr, int sockaddrLength)
			throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		while (true) {
			long count;
			try {
				count = (long) SENDTO.invokeExact(errno, fd, address, size, 0, sockaddr, sockaddrLength);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (count >= 0) {
				return (int) count;
			}
			int error = NativeCalls.errno(errno);
			if (error == NativeCalls.EAGAIN) {
				return 0;
			}
			if (error != NativeCalls.EINTR) {
				throw datagramError(error);
			}
		}
	}

	/**
	 * {@return the exception of a failed datagram call: a refused one (an ICMP "port unreachable" for an earlier
	 * datagram of a connected socket) is a {@link PortUnreachableException}, as the JDK's channel throws}
	 * @param errno the call's {@code errno}
	 */
	private static IOException datagramError(int errno) {
		return (errno == ECONNREFUSED) ? new PortUnreachableException(NativeCalls.message(errno))
				: NativeCalls.error(errno);
	}

	/**
	 * Sends the buffers an {@code iovec} array describes, non-blocking, with no {@code SIGPIPE}, as
	 * {@link #send} does: {@code sendmsg} rather than {@code writev}, which has no such flag.
	 * @param fd the connected socket
	 * @param header a {@link #MSGHDR_SIZE}-byte {@code struct msghdr} in native memory, zeroed once; this call
	 * points it at {@code iovecs}
	 * @param iovecs the {@code struct iovec} array, {@link #IOVEC_SIZE} bytes each, in native memory
	 * @param count how many entries, at most {@link #IOV_MAX}
	 * @return the bytes the socket took, 0 when it takes none now
	 * @throws IOException if the connection failed
	 */
	static long sendmsg(int fd, MemorySegment header, MemorySegment iovecs, int count) throws IOException {
		header.set(JAVA_LONG, MSG_IOV_OFFSET, iovecs.address());
		header.set(JAVA_LONG, MSG_IOVLEN_OFFSET, count);
		MemorySegment errno = NativeCalls.errnoSegment();
		while (true) {
			long written;
			try {
				written = (long) SENDMSG.invokeExact(errno, fd, header, MSG_NOSIGNAL);
			}
			catch (Throwable ex) {
				throw NativeCalls.linkFailure(ex);
			}
			if (written >= 0) {
				return written;
			}
			int error = NativeCalls.errno(errno);
			if (error == NativeCalls.EAGAIN) {
				return 0;
			}
			if (error != NativeCalls.EINTR) {
				throw NativeCalls.error(error);
			}
		}
	}

	/**
	 * Ends the output of {@code fd}: the peer reads end of stream.
	 * @param fd the connected socket
	 * @throws IOException if it is not connected
	 */
	static void shutdownOutput(int fd) throws IOException {
		NativeCalls.check(SHUTDOWN, fd, SHUT_WR);
	}

	/**
	 * Closes {@code fd}. Not retried on {@code EINTR}: Linux has released the descriptor either way, and it may
	 * already be another file's.
	 * @param fd the descriptor
	 * @throws IOException if closing reported an error
	 */
	static void close(int fd) throws IOException {
		MemorySegment errno = NativeCalls.errnoSegment();
		int result;
		try {
			result = (int) CLOSE.invokeExact(errno, fd);
		}
		catch (Throwable ex) {
			throw NativeCalls.linkFailure(ex);
		}
		if (result < 0 && NativeCalls.errno(errno) != NativeCalls.EINTR) {
			throw NativeCalls.error(NativeCalls.errno(errno));
		}
	}



}
