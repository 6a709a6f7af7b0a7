package io.protoloop.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.udp.DatagramOptions;

/**
 * {@code createDatagramEndpoint}: resolves the addresses off the loop thread when they need it, has the loop open,
 * bind and connect the socket ({@link Sockets#openDatagram}), and starts a {@link DatagramSocketTransport} with the
 * one protocol that serves it.
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
		DatagramSocket socket = null;
		try {
			socket = (options.socket() != null) ? new NioDatagramSocket(options.socket())
					: loop.sockets().openDatagram(options);
			P protocol = factory.get();
			DatagramSocketTransport transport = new DatagramSocketTransport(loop, socket, protocol, options);
			CompletableFuture<Void> made = new CompletableFuture<>();
			transport.start(made);
			return made.thenApply((ignored) -> new TransportAndProtocol<>(transport, protocol));
		}
		catch (Throwable ex) {
			if (socket != null && options.socket() == null) {
				try {
					socket.close();
				}
				catch (IOException closeFailure) {
					ex.addSuppressed(closeFailure);
				}
			}
			return CompletableFuture.failedFuture(ex);
		}
	}

}
