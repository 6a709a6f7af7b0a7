package io.protoloop.nio;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening {@link ServerSocketChannel}. */
final class NioListenSocket extends NioSocket<ServerSocketChannel> implements ListenSocket {

	/**
	 * Wraps {@code channel}, bound; makes it non-blocking.
	 * @param channel the listening channel
	 * @throws IOException if it cannot be made non-blocking
	 */
	NioListenSocket(ServerSocketChannel channel) throws IOException {
		super(channel);
	}

	@Override
	public StreamSocket accept() throws IOException {
		SocketChannel socket = this.channel.accept();
		return (socket != null) ? new NioStreamSocket(socket) : null;
	}

	@Override
	public ServerSocketChannel channel() {
		return this.channel;
	}

}
