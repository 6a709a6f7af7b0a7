package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;

import io.protoloop.udp.DatagramOptions;

/**
 * Where a loop's sockets come from: the JDK's channels ({@link NioSockets#INSTANCE}), or the loop's native I/O.
 * Servers, connections and datagram endpoints ask the loop, so a new backend changes no transport.
 */
interface Sockets {

	/**
	 * Opens a listening socket bound to {@code address} (an {@code InetSocketAddress} or a
	 * {@code UnixDomainSocketAddress}).
	 * @param address where to listen
	 * @param backlog the listen backlog
	 * @param reuseAddress {@code SO_REUSEADDR} (TCP only)
	 * @param reusePort {@code SO_REUSEPORT} (TCP only)
	 * @return the listening socket, non-blocking
	 * @throws IOException if it cannot be bound
	 */
	ListenSocket listen(SocketAddress address, int backlog, boolean reuseAddress, boolean reusePort)
			throws IOException;

	/**
	 * Opens an unconnected, non-blocking stream socket of {@code remote}'s family, bound to {@code local}
	 * with {@code SO_REUSEADDR} when given (TCP only).
	 * @param remote the address it will connect to
	 * @param local the local address to bind, or {@code null}
	 * @return the socket
	 * @throws IOException if it cannot be opened or bound
	 */
	StreamSocket open(SocketAddress remote, SocketAddress local) throws IOException;

	/**
	 * Opens a non-blocking datagram socket as {@code options} describe it: of their family
	 * ({@link DatagramSocket#family}), with {@code SO_REUSEPORT} and {@code SO_BROADCAST} when asked, bound to the
	 * local address (an ephemeral port when neither address is given) and connected to the remote one.
	 * @param options the endpoint's options, addresses resolved; their {@code socket} is not looked at
	 * @return the socket
	 * @throws UnsupportedOperationException for a Unix domain datagram socket where the JDK has none
	 * @throws IOException if it cannot be opened, bound or connected
	 */
	DatagramSocket openDatagram(DatagramOptions options) throws IOException;

}
