package io.protoloop.nio;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the native stream and listening sockets share: a descriptor of one family, its registration with the
 * loop's epoll set, and closing both once.
 */
abstract class NativeSocket implements Closeable {

	/** The socket's descriptor; never used once {@link #close()} has run. */
	final int fd;

	/** {@link Libc#AF_INET}, {@link Libc#AF_INET6} or {@link Libc#AF_UNIX}. */
	final int family;

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
