package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;

/** A datagram socket on a JDK {@link DatagramChannel}, UDP (or Unix domain where the JDK has it). */
final class NioDatagramSocket extends NioSocket<DatagramChannel> implements DatagramSocket {

	/**
	 * Wraps {@code channel} and makes it non-blocking.
	 * @param channel the datagram channel, bound or connected or neither
	 * @throws IOException if it cannot be made non-blocking
	 */
	NioDatagramSocket(DatagramChannel channel) throws IOException {
		super(channel);
	}

	@Override
	public SocketAddress receive(ByteBuffer target) throws IOException {
		return this.channel.receive(target);
	}

	/** A connected channel sends with {@code write}, which is what its {@code send} does as well. */
	@Override
	public int send(ByteBuffer source, SocketAddress target) throws IOException {
		return (target != null) ? this.channel.send(source, target) : this.channel.write(source);
	}

	@Override
	public SocketAddress remoteAddress() throws IOException {
		return this.channel.getRemoteAddress();
	}

	@Override
	public NetworkChannel extraInfo() {
		return this.channel;
	}

}
