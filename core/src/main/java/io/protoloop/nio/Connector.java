package io.protoloop.nio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tls.TlsOptions;
import io.protoloop.tls.layer.SslProtocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * Outbound connections: resolves the host off the loop thread, then tries each address in turn with a
 * non-blocking connect until one succeeds, and wraps the connected channel in a {@link SocketTransport}.
 */
final class Connector {

	private Connector() {
	}

	/** Connects to {@code host:port}; see {@code EventLoop.createConnection}. */
	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connect(
			SelectorEventLoop loop, Supplier<P> factory, String host, int port, ConnectionOptions options) {
		return loop.runInExecutor(null, () -> InetAddress.getAllByName(host))
			.thenComposeAsync((resolved) -> {
				List<SocketAddress> addresses = Arrays.stream(resolved)
					.map((address) -> (SocketAddress) new InetSocketAddress(address, port))
					.toList();
				return new Attempt<>(loop, factory, options, addresses, host).start();
			}, loop);
	}

	/** Tries each of {@code addresses} in turn, on the loop thread, until one connects. */
	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connect(
			SelectorEventLoop loop, Supplier<P> factory, List<SocketAddress> addresses, ConnectionOptions options) {
		return new Attempt<>(loop, factory, options, addresses, null).start();
	}

	/** Connects to the Unix domain socket at {@code path}. */
	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connectUnix(
			SelectorEventLoop loop, Supplier<P> factory, Path path, ConnectionOptions options) {
		return loop.submit(() -> new Attempt<>(loop, factory, options, List.of(UnixDomainSocketAddress.of(path)), null)
			.start())
			.thenCompose(Function.identity());
	}

	/** Wraps an already connected channel; see {@code EventLoop.connectAcceptedSocket}. */
	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> adopt(
			SelectorEventLoop loop, Supplier<P> factory, SocketChannel channel, ConnectionOptions options) {
		return loop.submit(() -> {
			if (!channel.isConnected()) {
				throw new IllegalArgumentException("The channel is not connected: " + channel);
			}
			StreamSocket socket = new NioStreamSocket(channel);
			socket.configure(options.keepAlive());
			return makeTransport(loop, factory, socket, options, null);
		}).thenCompose(Function.identity());
	}

	/**
	 * Wraps a connected channel in a transport, under a TLS layer when the options ask for one.
	 * @param serverName the host name asked for, what TLS verifies by default, or {@code null}
	 * @return a future completed once the protocol's {@code connectionMade} has run (after the handshake)
	 */
	private static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> makeTransport(
			SelectorEventLoop loop, Supplier<P> factory, StreamSocket channel, ConnectionOptions options,
			String serverName) throws IOException {
		P protocol = factory.get();
		TlsOptions tls = options.settings().tls();
		SslProtocol layer = null;
		if (tls != null) {
			int port = (channel.remoteAddress() instanceof InetSocketAddress inet) ? inet.getPort() : -1;
			layer = SslProtocol.client(loop, protocol, tls, options.settings(), serverName, port);
		}
		SocketTransport transport = new SocketTransport(loop, channel, (layer != null) ? layer : protocol,
				options.settings(), ConnectionTracker.NONE);
		CompletableFuture<Void> made = new CompletableFuture<>();
		transport.start(made);
		if (layer != null) {
			return layer.handshake().thenApply((tlsTransport) -> new TransportAndProtocol<>(tlsTransport, protocol));
		}
		return made.thenApply((ignored) -> new TransportAndProtocol<>(transport, protocol));
	}

	/** One connection attempt over a list of addresses, tried in order. */
	private static final class Attempt<P extends StreamProtocol> implements SelectorHandler {

		private final SelectorEventLoop loop;

		private final Supplier<P> factory;

		private final ConnectionOptions options;

		private final List<SocketAddress> addresses;

		private final List<IOException> errors = new ArrayList<>();

		private final CompletableFuture<TransportAndProtocol<Transport, P>> result = new CompletableFuture<>();

		private int next;

		private StreamSocket channel;

		private SocketAddress address;

		/** The host name asked for, which TLS verifies, or {@code null}. */
		private final String serverName;

		Attempt(SelectorEventLoop loop, Supplier<P> factory, ConnectionOptions options, List<SocketAddress> addresses,
				String serverName) {
			this.serverName = serverName;
			this.loop = loop;
			this.factory = factory;
			this.options = options;
			this.addresses = addresses;
		}

		CompletableFuture<TransportAndProtocol<Transport, P>> start() {
			tryNext();
			return this.result;
		}

		private void tryNext() {
			while (this.next < this.addresses.size()) {
				this.address = this.addresses.get(this.next++);
				try {
					this.channel = this.loop.sockets().open(this.address, this.options.localAddress());
					if (this.channel.connect(this.address)) {
						connected();
					}
					else {
						this.channel.register(this.loop, SelectionKey.OP_CONNECT, this);
					}
					return;
				}
				catch (IOException ex) {
					failed(ex);
				}
			}
			this.result.completeExceptionally(combinedError());
		}

		@Override
		public void onReady(int readyOps) {
			try {
				this.channel.finishConnect();
			}
			catch (IOException ex) {
				failed(ex);
				tryNext();
				return;
			}
			connected();
		}

		private void connected() {
			try {
				this.channel.configure(this.options.keepAlive());
				makeTransport(this.loop, this.factory, this.channel, this.options, this.serverName)
					.whenComplete((pair, ex) -> {
						if (ex != null) {
							this.result.completeExceptionally(ex);
						}
						else {
							this.result.complete(pair);
						}
					});
			}
			catch (Throwable ex) {
				SocketServer.closeQuietly(this.channel);
				this.result.completeExceptionally(ex);
			}
		}

		private void failed(IOException ex) {
			SocketServer.closeQuietly(this.channel);
			ConnectException error = new ConnectException(
					"error while attempting to connect to " + this.address + ": " + ex.getMessage());
			error.initCause(ex);
			this.errors.add(error);
		}

		/**
		 * One error when there was one attempt, or when every address failed the same way (as CPython collapses
		 * identical errors); else one naming each failure.
		 */
		private IOException combinedError() {
			if (this.errors.size() == 1) {
				return this.errors.get(0);
			}
			String firstCause = this.errors.get(0).getCause().toString();
			if (this.errors.stream().allMatch((error) -> error.getCause().toString().equals(firstCause))) {
				ConnectException same = new ConnectException("error while attempting to connect to "
						+ this.addresses + ": " + this.errors.get(0).getCause().getMessage());
				same.initCause(this.errors.get(0).getCause());
				return same;
			}
			ConnectException combined = new ConnectException("Multiple exceptions: "
					+ String.join(", ", this.errors.stream().map(Throwable::getMessage).toList()));
			this.errors.forEach(combined::addSuppressed);
			return combined;
		}

		@Override
		public String toString() {
			return "Connect[" + this.address + "]";
		}

	}

}
