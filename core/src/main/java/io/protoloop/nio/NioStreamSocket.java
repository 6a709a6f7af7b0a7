package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

/** A stream socket on a JDK {@link SocketChannel}, TCP or Unix domain. */
final class NioStreamSocket extends NioSocket<SocketChannel> implements StreamSocket {

	/**
	 * Wraps {@code channel} and makes it non-blocking.
	 * @param channel the socket channel, connected or not
	 * @throws IOException if it cannot be made non-blocking
	 */
	NioStreamSocket(SocketChannel channel) throws IOException {
		super(channel);
	}

	@Override
	public boolean connect(SocketAddress remote) throws IOException {
		return this.channel.connect(remote);
	}

	@Override
	public void finishConnect() throws IOException {
		this.channel.finishConnect();
	}

	@Override
	public void configure(boolean keepAlive) throws IOException {
		if (!(this.channel.getLocalAddress() instanceof UnixDomainSocketAddress)) {
			this.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			if (keepAlive) {
				this.channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
			}
		}
	}

	@Override
	public SocketAddress remoteAddress() throws IOException {
		return this.channel.getRemoteAddress();
	}

	@Override
	public void shutdownOutput() throws IOException {
		this.channel.shutdownOutput();
	}

	/** The JDK sends a file to its own socket channel with {@code sendfile}. */
	@Override
	public long transferFrom(FileChannel file, long position, long count) throws IOException {
		return file.transferTo(position, count, this.channel);
	}

	@Override
	public NetworkChannel extraInfo() {
		return this.channel;
	}

	@Override
	public int read(ByteBuffer target) throws IOException {
		return this.channel.read(target);
	}

	@Override
	public int write(ByteBuffer source) throws IOException {
		return this.channel.write(source);
	}

	@Override
	public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
		return this.channel.write(sources, offset, length);
	}

	@Override
	public long write(ByteBuffer[] sources) throws IOException {
		return this.channel.write(sources);
	}

}
