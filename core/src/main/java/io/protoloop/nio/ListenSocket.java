package io.protoloop.nio;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;

/** A bound, listening, non-blocking stream socket: a JDK {@code ServerSocketChannel} or a native descriptor. */
interface ListenSocket extends Closeable, Pollable {

	/**
	 * Accepts one connection, non-blocking.
	 * @return the connected socket, or {@code null} when none is waiting
	 * @throws IOException if accepting failed (out of descriptors, say)
	 */
	StreamSocket accept() throws IOException;

	/**
	 * {@return the bound address}
	 * @throws IOException if the socket is closed
	 */
	SocketAddress localAddress() throws IOException;

	/** {@return what {@code Server.sockets()} lists: the JDK channel, or the native socket itself} */
	NetworkChannel channel();

}
