package io.protoloop.nio;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;

import io.protoloop.udp.DatagramOptions;

/**
 * A non-blocking datagram socket as the datagram transport uses it: a JDK {@code DatagramChannel}
 * ({@link NioDatagramSocket}) or a descriptor the loop's native I/O drives. Receiving returns {@code null} when
 * no datagram is there; sending returns 0 when the socket has no room for one.
 */
interface DatagramSocket extends Channel, Pollable {

	/**
	 * Receives one datagram into {@code target}, advancing its position; a datagram longer than the room left is
	 * truncated, as the JDK's channel does.
	 * @param target where the datagram's bytes go
	 * @return the sender's address, or {@code null} when no datagram is waiting
	 * @throws java.net.PortUnreachableException if an earlier datagram of a connected socket found no listener
	 * @throws IOException if receiving failed
	 */
	SocketAddress receive(ByteBuffer target) throws IOException;

	/**
	 * Sends the remaining bytes of {@code source} as one datagram, advancing its position when sent.
	 * @param source the datagram
	 * @param target where to, or {@code null} for the peer of a connected socket
	 * @return the bytes sent; 0 when the socket has no room now (or the datagram is empty)
	 * @throws java.net.PortUnreachableException if an earlier datagram of a connected socket found no listener
	 * @throws IOException if sending failed (a datagram too large, say)
	 */
	int send(ByteBuffer source, SocketAddress target) throws IOException;

	/**
	 * {@return the local address}
	 * @throws IOException if the socket is closed
	 */
	SocketAddress localAddress() throws IOException;

	/**
	 * {@return the connected peer's address, or {@code null} when not connected}
	 * @throws IOException if the socket is closed
	 */
	SocketAddress remoteAddress() throws IOException;

	/** {@return what the transport's {@code socket} extra info returns: the JDK channel, or this socket} */
	NetworkChannel extraInfo();

	/**
	 * {@return the family of the socket {@code options} ask for: the one named, else the one of the local address,
	 * else of the remote one; {@code null} (the system's default, dual-stack where it can) for a wildcard or no
	 * address}
	 * @param options the endpoint's options
	 */
	static ProtocolFamily family(DatagramOptions options) {
		if (options.family() != null) {
			return options.family();
		}
		SocketAddress address = (options.localAddress() != null) ? options.localAddress() : options.remoteAddress();
		if (address instanceof UnixDomainSocketAddress) {
			return StandardProtocolFamily.UNIX;
		}
		if (!(address instanceof InetSocketAddress inet) || inet.getAddress().isAnyLocalAddress()) {
			return null;
		}
		return (inet.getAddress() instanceof Inet6Address) ? StandardProtocolFamily.INET6
				: StandardProtocolFamily.INET;
	}

	/**
	 * {@return whether a socket for {@code options} binds before it connects: when given a local address, and when
	 * it does not connect (to get an ephemeral port to receive on), as asyncio does}
	 * @param options the endpoint's options
	 */
	static boolean binds(DatagramOptions options) {
		return options.localAddress() != null || options.remoteAddress() == null;
	}

}
