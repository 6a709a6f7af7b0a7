package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * A non-blocking stream socket, TCP or Unix domain, as the stream transport and its helpers use it: a JDK
 * {@code SocketChannel} ({@link NioStreamSocket}) or a descriptor the loop's native I/O drives. Reads return 0
 * when nothing is there and -1 at end of stream; writes return what the socket took, possibly 0.
 */
interface StreamSocket extends ByteChannel, GatheringByteChannel {

	/**
	 * Registers the socket with {@code loop}, or re-registers it with another handler. Loop thread only.
	 * @param loop the loop the socket lives on
	 * @param ops the operations to wait for at first
	 * @param handler what readiness calls
	 * @return the registration
	 * @throws IOException if the socket is closed or cannot be registered
	 */
	PollKey register(SelectorEventLoop loop, int ops, SelectorHandler handler) throws IOException;

	/**
	 * Starts connecting to {@code remote}.
	 * @param remote the address to connect to
	 * @return {@code true} if connected at once; else wait for {@code OP_CONNECT}, then {@link #finishConnect()}
	 * @throws IOException if the connection is refused at once
	 */
	boolean connect(SocketAddress remote) throws IOException;

	/**
	 * Completes a connection started by {@link #connect}, once {@code OP_CONNECT} is ready.
	 * @throws IOException why the connection failed
	 */
	void finishConnect() throws IOException;

	/**
	 * Applies the options asyncio sets on a connected socket: {@code TCP_NODELAY}, and {@code SO_KEEPALIVE} when
	 * asked; nothing on a Unix socket.
	 * @param keepAlive whether to turn on keep-alive
	 * @throws IOException if an option cannot be set
	 */
	void configure(boolean keepAlive) throws IOException;

	/**
	 * {@return the local address}
	 * @throws IOException if the socket is closed
	 */
	SocketAddress localAddress() throws IOException;

	/**
	 * {@return the peer's address, or {@code null} when not connected}
	 * @throws IOException if the socket is closed
	 */
	SocketAddress remoteAddress() throws IOException;

	/**
	 * Sends the end of the stream; reading goes on.
	 * @throws IOException if the socket is closed or not connected
	 */
	void shutdownOutput() throws IOException;

	/** {@return what the transport's {@code socket} extra info returns: the JDK channel, or this socket} */
	Object extraInfo();

}
