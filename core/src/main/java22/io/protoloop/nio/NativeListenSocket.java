package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;

/**
 * A listening socket, TCP or Unix domain, on a non-blocking descriptor that the loop's epoll set watches: the
 * native counterpart of {@link NioListenSocket}. A wildcard address listens on a dual-stack IPv6 socket, as the
 * JDK's does.
 */
final class NativeListenSocket extends NativeSocket implements ListenSocket {

	/** The backlog the JDK uses when asked for none. */
	private static final int DEFAULT_BACKLOG = 50;

	private NativeListenSocket(int fd, int family) {
		super(fd, family);
	}

	/**
	 * Opens a socket listening on {@code address}.
	 * @param address an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
	 * @param backlog the listen backlog; below 1 means the JDK's default, 50
	 * @param reuseAddress {@code SO_REUSEADDR} (TCP only)
	 * @param reusePort {@code SO_REUSEPORT} (TCP only)
	 * @return the listening socket
	 * @throws java.net.BindException if the address is taken
	 * @throws IOException if it cannot be opened or bound
	 */
	static NativeListenSocket listen(SocketAddress address, int backlog, boolean reuseAddress, boolean reusePort)
			throws IOException {
		int family = SocketAddresses.family(address);
		return new NativeListenSocket(Libc.socket(family, Libc.SOCK_STREAM, (fd) -> {
			if (family != Libc.AF_UNIX) {
				Libc.setOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, reuseAddress ? 1 : 0);
				if (reusePort) {
					Libc.setOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1);
				}
			}
			Libc.bind(fd, family, address);
			Libc.listen(fd, (backlog < 1) ? DEFAULT_BACKLOG : backlog);
		}), family);
	}

	@Override
	public StreamSocket accept() throws IOException {
		ensureOpen();
		int accepted = Libc.accept(this.fd);
		return (accepted >= 0) ? new NativeStreamSocket(accepted, this.family) : null;
	}

	/** {@return this socket: its options and address are what {@code Server.sockets()} users look at} */
	@Override
	public NetworkChannel channel() {
		return this;
	}

}
