package io.protoloop.bench.netty;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.protoloop.bench.EchoServer;

/**
 * The Netty 4.2 echo server the benchmark compares against: one event-loop thread (accepting and serving), NIO,
 * native epoll or native io_uring transport, default allocator, and the handler of Netty's own echo example (write on read,
 * flush on read-complete) plus the usual back-pressure (stop reading while the channel is not writable), with
 * the same watermarks and socket options as the Protoloop server. Over TLS, an {@link SslHandler} from an
 * {@link SslContext} of the JDK provider goes in front of the echo handler, as Netty's own secure echo example
 * has it.
 */
public final class NettyEchoServer implements EchoServer {

	private final EventLoopGroup group;

	private final Channel channel;

	private final EchoHandler handler;

	private NettyEchoServer(EventLoopGroup group, Channel channel, EchoHandler handler) {
		this.group = group;
		this.channel = channel;
		this.handler = handler;
	}

	/**
	 * Starts the server on an ephemeral port of 127.0.0.1, on {@code transport} (which the caller checked is
	 * available), over TLS with {@code sslContext} or plain if it is {@code null}.
	 */
	public static NettyEchoServer start(NettyTransport transport, int backlog, SslContext sslContext)
			throws InterruptedException {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandler());
		EchoHandler handler = new EchoHandler();
		try {
			Channel channel = new ServerBootstrap().group(group)
				.channel(transport.serverChannel())
				.option(ChannelOption.SO_BACKLOG, backlog)
				.childOption(ChannelOption.TCP_NODELAY, true)
				.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(16 * 1024, 64 * 1024))
				.childHandler((sslContext != null) ? new ChannelInitializer<Channel>() {

					@Override
					protected void initChannel(Channel channel) {
						channel.pipeline().addLast(sslContext.newHandler(channel.alloc()), handler);
					}

				} : handler)
				.bind("127.0.0.1", 0)
				.sync()
				.channel();
			return new NettyEchoServer(group, channel, handler);
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

	@Override
	public int openConnections() {
		return this.handler.open.get();
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** Echoes every buffer it reads; shared by all connections, so it costs nothing per connection. */
	@Sharable
	static final class EchoHandler extends ChannelInboundHandlerAdapter {

		private final AtomicInteger open = new AtomicInteger();

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.open.incrementAndGet();
			ctx.fireChannelActive();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.open.decrementAndGet();
			ctx.fireChannelInactive();
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ctx.write(msg, ctx.voidPromise());
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			ctx.channel().config().setAutoRead(ctx.channel().isWritable());
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			// The idle-memory scenario resets its connections: closing is the whole answer.
			ctx.close();
		}

	}

}
