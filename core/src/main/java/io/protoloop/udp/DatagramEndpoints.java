package io.protoloop.udp;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.TransportAndProtocol;

/**
 * {@code createDatagramEndpoint}: resolves the addresses off the loop thread when they need it, opens, binds
 * and connects the channel, and starts a {@link DatagramSocketTransport} with the one protocol that serves it.
 */
public final class DatagramEndpoints {

	private DatagramEndpoints() {
	}

	/** Creates a datagram endpoint; see {@code EventLoop.createDatagramEndpoint}. */
	public static <P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>> create(
			EventLoop loop, Supplier<P> factory, DatagramOptions options) {
		if (isUnresolved(options.localAddress()) || isUnresolved(options.remoteAddress())) {
			return loop.runInExecutor(null, () -> resolved(options))
				.thenComposeAsync((resolved) -> open(loop, factory, resolved), loop);
		}
		return loop.submit(() -> open(loop, factory, options)).thenCompose(Function.identity());
	}

	private static boolean isUnresolved(InetSocketAddress address) {
		return address != null && address.isUnresolved();
	}

	private static DatagramOptions resolved(DatagramOptions options) {
		return new DatagramOptions(resolve(options.localAddress()), resolve(options.remoteAddress()),
				options.family(), options.reusePort(), options.allowBroadcast(), options.socket(),
				options.receiveBufferSize(), options.writeBufferLimits(), options.recorder());
	}

	private static InetSocketAddress resolve(InetSocketAddress address) {
		return (address == null || !address.isUnresolved()) ? address
				: new InetSocketAddress(address.getHostString(), address.getPort());
	}

	private static <P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>> open(
			EventLoop loop, Supplier<P> factory, DatagramOptions options) {
		for (InetSocketAddress address : new InetSocketAddress[] { options.localAddress(), options.remoteAddress() }) {
			if (isUnresolved(address)) {
				return CompletableFuture.failedFuture(
						new java.net.UnknownHostException("Cannot resolve " + address.getHostString()));
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
		DatagramChannel channel = (family != null) ? DatagramChannel.open(family) : DatagramChannel.open();
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

	/** The family asked for, else the one of the addresses, else {@code null} (the system's default). */
	private static ProtocolFamily family(DatagramOptions options) {
		if (options.family() != null) {
			return options.family();
		}
		InetSocketAddress address = (options.localAddress() != null) ? options.localAddress()
				: options.remoteAddress();
		if (address == null || address.getAddress().isAnyLocalAddress()) {
			return null;
		}
		return (address.getAddress() instanceof Inet6Address) ? StandardProtocolFamily.INET6
				: StandardProtocolFamily.INET;
	}

}
