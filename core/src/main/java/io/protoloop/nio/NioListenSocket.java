package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening {@link ServerSocketChannel}. */
final class NioListenSocket implements ListenSocket {

	private final ServerSocketChannel channel;

	/**
	 * Wraps {@code channel}, bound; makes it non-blocking.
	 * @param channel the listening channel
	 * @throws IOException if it cannot be made non-blocking
	 */
	NioListenSocket(ServerSocketChannel channel) throws IOException {
		this.channel = channel;
		channel.configureBlocking(false);
	}

	@Override
	public PollKey register(SelectorEventLoop loop, int ops, SelectorHandler handler) throws IOException {
		return PollKey.of(loop.register(this.channel, ops, handler));
	}

	@Override
	public StreamSocket accept() throws IOException {
		SocketChannel socket = this.channel.accept();
		return (socket != null) ? new NioStreamSocket(socket) : null;
	}

	@Override
	public SocketAddress localAddress() throws IOException {
		return this.channel.getLocalAddress();
	}

	@Override
	public ServerSocketChannel channel() {
		return this.channel;
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

	@Override
	public String toString() {
		return this.channel.toString();
	}

}
