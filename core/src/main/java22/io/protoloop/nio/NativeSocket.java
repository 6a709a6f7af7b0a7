package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Set;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the native stream, listening and datagram sockets share: a descriptor of one family, its registration with
 * the loop's epoll set, its addresses and options, and closing both once. As a {@link NetworkChannel} it is what
 * a transport's {@code socket} extra info and {@code Server.sockets()} give on the epoll transport: the JDK's
 * standard socket options and addresses, as a JDK channel offers them.
 */
abstract class NativeSocket implements NetworkChannel {

	/** The socket's descriptor; never used once {@link #close()} has run. */
	final int fd;

	/** {@link Libc#AF_INET}, {@link Libc#AF_INET6} or {@link Libc#AF_UNIX}. */
	final int family;

	/** The options of a TCP socket, as the JDK's socket channels support them on Linux. */
	private static final Set<SocketOption<?>> INET_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
			StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
			StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY);

	/** The options of a Unix domain socket. */
	private static final Set<SocketOption<?>> UNIX_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
			StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_LINGER);

	private final AtomicBoolean closed = new AtomicBoolean();

	private PollKey key;

	NativeSocket(int fd, int family) {
		this.fd = fd;
		this.family = family;
	}

	/**
	 * Registers the socket with its loop's epoll set, or replaces its handler and operations there.
	 * @param loop a loop on the epoll transport
	 * @param ops the {@code SelectionKey} operations to wait for
	 * @param handler what readiness calls
	 * @return the registration, which {@link #close()} cancels
	 * @throws IOException if the socket is closed, the loop has no epoll set, or epoll refuses it
	 */
	public PollKey register(SelectorEventLoop loop, int ops, SelectorHandler handler) throws IOException {
		ensureOpen();
		if (!(loop.sockets() instanceof EpollIo epoll)) {
			throw new IOException("A native socket needs a loop on the epoll transport; " + loop + " has none");
		}
		this.key = epoll.register(this.fd, ops, handler);
		return this.key;
	}

	/**
	 * {@return the address the socket is bound to}
	 * @throws IOException if the socket is closed
	 */
	public SocketAddress localAddress() throws IOException {
		ensureOpen();
		return Libc.localAddress(this.fd);
	}

	/**
	 * {@return the peer's address, or {@code null} when not connected}
	 * @throws IOException if the socket is closed
	 */
	public SocketAddress remoteAddress() throws IOException {
		ensureOpen();
		return Libc.peerAddress(this.fd);
	}

	@Override
	public SocketAddress getLocalAddress() throws IOException {
		return localAddress();
	}

	@Override
	public NetworkChannel bind(SocketAddress local) throws IOException {
		ensureOpen();
		Libc.bind(this.fd, this.family, local);
		return this;
	}

	@Override
	public <T> NetworkChannel setOption(SocketOption<T> name, T value) throws IOException {
		ensureOpen();
		if (name == StandardSocketOptions.SO_LINGER) {
			Libc.setLinger(this.fd, (Integer) value);
		}
		else {
			int[] option = option(name);
			Libc.setOption(this.fd, option[0], option[1], (value instanceof Boolean flag) ? (flag ? 1 : 0) : (Integer) value);
		}
		return this;
	}

	@Override
	public <T> T getOption(SocketOption<T> name) throws IOException {
		ensureOpen();
		if (name == StandardSocketOptions.SO_LINGER) {
			return name.type().cast(Libc.linger(this.fd));
		}
		int[] option = option(name);
		int value = Libc.getOption(this.fd, option[0], option[1]);
		return name.type().cast((name.type() == Boolean.class) ? (Object) (value != 0) : (Object) value);
	}

	/** {@return the options of a stream socket of its family; a datagram socket has others} */
	@Override
	public Set<SocketOption<?>> supportedOptions() {
		return (this.family == Libc.AF_UNIX) ? UNIX_OPTIONS : INET_OPTIONS;
	}

	/**
	 * {@return the level and number of {@code name}}
	 * @throws UnsupportedOperationException if the socket does not support it, as the JDK's channels say
	 */
	private int[] option(SocketOption<?> name) {
		if (!supportedOptions().contains(name)) {
			throw new UnsupportedOperationException("'" + name + "' not supported");
		}
		if (name == StandardSocketOptions.TCP_NODELAY) {
			return new int[] { Libc.IPPROTO_TCP, Libc.TCP_NODELAY };
		}
		int option = (name == StandardSocketOptions.SO_SNDBUF) ? Libc.SO_SNDBUF
				: (name == StandardSocketOptions.SO_RCVBUF) ? Libc.SO_RCVBUF
				: (name == StandardSocketOptions.SO_KEEPALIVE) ? Libc.SO_KEEPALIVE
				: (name == StandardSocketOptions.SO_BROADCAST) ? Libc.SO_BROADCAST
				: (name == StandardSocketOptions.SO_REUSEADDR) ? Libc.SO_REUSEADDR : Libc.SO_REUSEPORT;
		return new int[] { Libc.SOL_SOCKET, option };
	}

	/** {@return {@code false} once closed} */
	public boolean isOpen() {
		return !this.closed.get();
	}

	/** Leaves the epoll set, then closes the descriptor; once, whoever calls it again. */
	@Override
	public void close() throws IOException {
		if (this.closed.compareAndSet(false, true)) {
			try {
				if (this.key != null) {
					this.key.cancel();
				}
			}
			finally {
				Libc.close(this.fd);
			}
		}
	}

	/**
	 * Refuses use of a closed socket, whose descriptor number may be another file's by now.
	 * @throws ClosedChannelException if the socket is closed
	 */
	void ensureOpen() throws ClosedChannelException {
		if (this.closed.get()) {
			throw new ClosedChannelException();
		}
	}

	/** {@return the class, descriptor and addresses, as in {@code NativeStreamSocket[fd=12, local=..., remote=...]}} */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(getClass().getSimpleName()).append("[fd=").append(this.fd);
		if (!isOpen()) {
			return text.append(", closed]").toString();
		}
		try {
			text.append(", local=").append(Libc.localAddress(this.fd));
			SocketAddress remote = Libc.peerAddress(this.fd);
			if (remote != null) {
				text.append(", remote=").append(remote);
			}
		}
		catch (IOException ex) {
			text.append(", ").append(ex.getMessage());
		}
		return text.append(']').toString();
	}

}
