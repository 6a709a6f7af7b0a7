package io.protoloop.bench.netty;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.protoloop.bench.EchoServer;

/**
 * The Netty 4.2 UDP echo server the UDP benchmark compares against: one event-loop thread, a datagram channel
 * on NIO ({@link NioDatagramChannel}) or native epoll ({@link EpollDatagramChannel}) with Netty's defaults, and
 * a handler that writes each received packet's buffer back to its sender (no copy) and flushes on
 * read-complete, as the TCP echo handler does.
 */
public final class NettyUdpEchoServer implements EchoServer {

	private final EventLoopGroup group;

	private final Channel channel;

	private NettyUdpEchoServer(EventLoopGroup group, Channel channel) {
		this.group = group;
		this.channel = channel;
	}

	/** Starts the server on an ephemeral port of 127.0.0.1, on the epoll transport or on NIO. */
	public static NettyUdpEchoServer start(boolean epoll) throws InterruptedException {
		if (epoll) {
			Epoll.ensureAvailability();
		}
		IoHandlerFactory ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		Class<? extends DatagramChannel> channelType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, ioHandler);
		try {
			Channel channel = new Bootstrap().group(group)
				.channel(channelType)
				.handler(new EchoHandler())
				.bind("127.0.0.1", 0)
				.sync()
				.channel();
			return new NettyUdpEchoServer(group, channel);
		}
		catch (InterruptedException | RuntimeException ex) {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			throw ex;
		}
	}

	@Override
	public int port() {
		return ((InetSocketAddress) this.channel.localAddress()).getPort();
	}

	@Override
	public long loopThreadId() throws Exception {
		return this.group.next().submit(() -> Thread.currentThread().getId()).get();
	}

	/** A datagram channel has no connections. */
	@Override
	public int openConnections() {
		return 0;
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** Sends every packet back to its sender, handing the received buffer on (it is released once written). */
	@Sharable
	static final class EchoHandler extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			DatagramPacket packet = (DatagramPacket) msg;
			ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			// A send to a client socket that has gone fails; the channel keeps serving the others.
		}

	}

}
