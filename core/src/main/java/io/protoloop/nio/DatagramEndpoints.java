package io.protoloop.nio;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.udp.DatagramOptions;

/**
 * {@code createDatagramEndpoint}: resolves the addresses off the loop thread when they need it, opens, binds
 * and connects the channel, and starts a {@link DatagramSocketTransport} with the one protocol that serves it.
 */
final class DatagramEndpoints {

	private DatagramEndpoints() {
	}

	/** Creates a datagram endpoint; see {@code EventLoop.createDatagramEndpoint}. */
	static <P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>> create(
			SelectorEventLoop loop, Supplier<P> factory, DatagramOptions options) {
		if (isUnresolved(options.localAddress()) || isUnresolved(options.remoteAddress())) {
			return loop.runInExecutor(null, () -> resolved(options))
				.thenComposeAsync((resolved) -> open(loop, factory, resolved), loop);
		}
		return loop.submit(() -> open(loop, factory, options)).thenCompose(Function.identity());
	}

	private static boolean isUnresolved(SocketAddress address) {
		return address instanceof InetSocketAddress inet && inet.isUnresolved();
	}

	private static DatagramOptions resolved(DatagramOptions options) {
		return options.withAddresses(resolve(options.localAddress()), resolve(options.remoteAddress()));
	}

	private static SocketAddress resolve(SocketAddress address) {
		return isUnresolved(address) ? new InetSocketAddress(((InetSocketAddress) address).getHostString(),
				((InetSocketAddress) address).getPort()) : address;
	}

	private static <P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>> open(
			SelectorEventLoop loop, Supplier<P> factory, DatagramOptions options) {
		for (SocketAddress address : new SocketAddress[] { options.localAddress(), options.remoteAddress() }) {
			if (isUnresolved(address)) {
				return CompletableFuture.failedFuture(new java.net.UnknownHostException(
						"Cannot resolve " + ((InetSocketAddress) address).getHostString()));
			}
		}
		DatagramChannel channel = null;
		try {
			channel = (options.socket() != null) ? options.socket() : openChannel(options);
			P protocol = factory.get();
			DatagramSocketTransport transport = new DatagramSocketTransport(loop, channel, protocol, options);
			CompletableFuture<Void> made = new CompletableFuture<>();
			transport.start(made);
			return made.thenApply((ignored) -> new TransportAndProtocol<>(transport, protocol));
		}
		catch (Throwable ex) {
			if (channel != null && options.socket() == null) {
				try {
					channel.close();
				}
				catch (IOException closeFailure) {
					ex.addSuppressed(closeFailure);
				}
			}
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static DatagramChannel openChannel(DatagramOptions options) throws IOException {
		ProtocolFamily family = family(options);
		DatagramChannel channel = (family != null) ? open(family) : DatagramChannel.open();
		try {
			if (options.reusePort()) {
				channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
			}
			if (options.allowBroadcast()) {
				channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
			}
			if (options.localAddress() != null || options.remoteAddress() == null) {
				channel.bind(options.localAddress());
			}
			if (options.remoteAddress() != null) {
				channel.connect(options.remoteAddress());
			}
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	private static DatagramChannel open(ProtocolFamily family) throws IOException {
		try {
			return DatagramChannel.open(family);
		}
		catch (UnsupportedOperationException ex) {
			if (family != StandardProtocolFamily.UNIX) {
				throw ex;
			}
			// JDK 16 brought Unix domain sockets to SocketChannel only; a later JDK may add datagrams.
			throw new UnsupportedOperationException("Unix domain datagram sockets are not supported by this JDK ("
					+ Runtime.version() + "): its DatagramChannel opens INET and INET6 sockets only. Use a Unix "
					+ "stream socket (createUnixServer/createUnixConnection) or a UDP endpoint on loopback", ex);
		}
	}

	/** The family asked for, else the one of the addresses, else {@code null} (the system's default). */
	private static ProtocolFamily family(DatagramOptions options) {
		if (options.family() != null) {
			return options.family();
		}
		SocketAddress address = (options.localAddress() != null) ? options.localAddress() : options.remoteAddress();
		if (address instanceof UnixDomainSocketAddress) {
			return StandardProtocolFamily.UNIX;
		}
		if (!(address instanceof InetSocketAddress inet) || inet.getAddress().isAnyLocalAddress()) {
			return null;
		}
		return (inet.getAddress() instanceof Inet6Address) ? StandardProtocolFamily.INET6
				: StandardProtocolFamily.INET;
	}

}
