package io.protoloop.nio;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import io.protoloop.udp.DatagramOptions;

/** Sockets from the JDK's channels: every platform and Java version. */
final class NioSockets implements Sockets {

	static final NioSockets INSTANCE = new NioSockets();

	private NioSockets() {
	}

	@Override
	public ListenSocket listen(SocketAddress address, int backlog, boolean reuseAddress, boolean reusePort)
			throws IOException {
		boolean unix = address instanceof UnixDomainSocketAddress;
		ServerSocketChannel channel = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
				: ServerSocketChannel.open();
		try {
			if (!unix) {
				channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
				if (reusePort) {
					channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
				}
			}
			channel.bind(address, backlog);
			channel.configureBlocking(false);
			return new NioListenSocket(channel);
		}
		catch (IOException | RuntimeException ex) {
			SocketServer.closeQuietly(channel);
			throw ex;
		}
	}

	@Override
	public StreamSocket open(SocketAddress remote, SocketAddress local) throws IOException {
		boolean unix = remote instanceof UnixDomainSocketAddress;
		SocketChannel socket = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
		try {
			socket.configureBlocking(false);
			if (!unix && local != null) {
				socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
				socket.bind(local);
			}
			return new NioStreamSocket(socket);
		}
		catch (IOException | RuntimeException ex) {
			SocketServer.closeQuietly(socket);
			throw ex;
		}
	}

	@Override
	public DatagramSocket openDatagram(DatagramOptions options) throws IOException {
		ProtocolFamily family = DatagramSocket.family(options);
		DatagramChannel channel = (family != null) ? openDatagram(family) : DatagramChannel.open();
		try {
			if (options.reusePort()) {
				channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
			}
			if (options.allowBroadcast()) {
				channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
			}
			if (DatagramSocket.binds(options)) {
				channel.bind(options.localAddress());
			}
			if (options.remoteAddress() != null) {
				channel.connect(options.remoteAddress());
			}
			return new NioDatagramSocket(channel);
		}
		catch (IOException | RuntimeException ex) {
			SocketServer.closeQuietly(channel);
			throw ex;
		}
	}

	private static DatagramChannel openDatagram(ProtocolFamily family) throws IOException {
		try {
			return DatagramChannel.open(family);
		}
		catch (UnsupportedOperationException ex) {
			if (family != StandardProtocolFamily.UNIX) {
				throw ex;
			}
			// JDK 16 brought Unix domain sockets to SocketChannel only; a later JDK may add datagrams.
			throw new UnsupportedOperationException("Unix domain datagram sockets are not supported by this JDK ("
					+ Runtime.version() + "): its DatagramChannel opens INET and INET6 sockets only. Use a Unix "
					+ "stream socket (createUnixServer/createUnixConnection) or a UDP endpoint on loopback", ex);
		}
	}

}
