package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;

/**
 * What the JDK-channel sockets share: a non-blocking channel registered with the loop's selector, its local
 * address, and closing it.
 * @param <C> the channel's type
 */
abstract class NioSocket<C extends SelectableChannel & NetworkChannel> implements Pollable {

	final C channel;

	/**
	 * Wraps {@code channel} and makes it non-blocking.
	 * @param channel the channel
	 * @throws IOException if it cannot be made non-blocking
	 */
	NioSocket(C channel) throws IOException {
		this.channel = channel;
		channel.configureBlocking(false);
	}

	@Override
	public final PollKey register(SelectorEventLoop loop, int ops, SelectorHandler handler) throws IOException {
		return PollKey.of(loop.register(this.channel, ops, handler));
	}

	/**
	 * {@return the bound address}
	 * @throws IOException if the channel is closed
	 */
	public final SocketAddress localAddress() throws IOException {
		return this.channel.getLocalAddress();
	}

	/** {@return {@code false} once closed} */
	public final boolean isOpen() {
		return this.channel.isOpen();
	}

	/**
	 * Closes the channel, which cancels its selection key.
	 * @throws IOException if closing fails
	 */
	public final void close() throws IOException {
		this.channel.close();
	}

	@Override
	public String toString() {
		return this.channel.toString();
	}

}
