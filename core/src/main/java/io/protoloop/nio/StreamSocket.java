package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * A non-blocking stream socket, TCP or Unix domain, as the stream transport and its helpers use it: a JDK
 * {@code SocketChannel} ({@link NioStreamSocket}) or a descriptor the loop's native I/O drives. Reads return 0
 * when nothing is there and -1 at end of stream; writes return what the socket took, possibly 0.
 */
interface StreamSocket extends ByteChannel, GatheringByteChannel, Pollable {

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

	/**
	 * Sends part of {@code file} as far as the socket takes it, without a copy through the JVM where the OS
	 * allows ({@code sendfile}).
	 * @param file the file
	 * @param position where in the file to start
	 * @param count the most bytes to send
	 * @return the bytes sent, 0 when the socket is full
	 * @throws IOException if reading the file or writing the socket fails
	 */
	long transferFrom(FileChannel file, long position, long count) throws IOException;

	/** {@return what the transport's {@code socket} extra info returns: the JDK channel, or this socket} */
	NetworkChannel extraInfo();

}
