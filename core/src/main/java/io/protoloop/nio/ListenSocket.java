package io.protoloop.nio;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;

/** A bound, listening, non-blocking stream socket: a JDK {@code ServerSocketChannel} or a native descriptor. */
interface ListenSocket extends Closeable {

	/**
	 * Registers the socket with {@code loop} to wait for {@code OP_ACCEPT}. Loop thread only.
	 * @param loop the loop that accepts
	 * @param ops the operations to wait for at first
	 * @param handler what readiness calls
	 * @return the registration
	 * @throws IOException if the socket is closed or cannot be registered
	 */
	PollKey register(SelectorEventLoop loop, int ops, SelectorHandler handler) throws IOException;

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

	/** {@return the JDK channel, or {@code null} for a native socket, which has none} */
	ServerSocketChannel channel();

}
