package io.protoloop.bench.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * The Netty transport a TCP peer runs on: the JDK's NIO selector, native epoll, or native io_uring. The native ones
 * may be refused by the machine (io_uring by a kernel without it or with {@code kernel.io_uring_disabled} set), in
 * which case the peer is reported as unavailable, with Netty's reason, rather than measured.
 */
public enum NettyTransport {

	/** {@link NioIoHandler}: the JDK's selector. */
	NIO,

	/** {@link EpollIoHandler}: native epoll, edge-triggered. */
	EPOLL,

	/** {@link IoUringIoHandler}: native io_uring. */
	IO_URING;

	/** Returns why this machine cannot run the transport, or {@code null} when it can. */
	public String unavailability() {
		Throwable cause = switch (this) {
			case NIO -> null;
			case EPOLL -> Epoll.unavailabilityCause();
			case IO_URING -> IoUring.unavailabilityCause();
		};
		return (cause != null) ? String.valueOf(cause.getMessage()).replace('\n', ' ') : null;
	}

	IoHandlerFactory ioHandler() {
		return switch (this) {
			case NIO -> NioIoHandler.newFactory();
			case EPOLL -> EpollIoHandler.newFactory();
			case IO_URING -> IoUringIoHandler.newFactory();
		};
	}

	Class<? extends ServerChannel> serverChannel() {
		return switch (this) {
			case NIO -> NioServerSocketChannel.class;
			case EPOLL -> EpollServerSocketChannel.class;
			case IO_URING -> IoUringServerSocketChannel.class;
		};
	}

}
