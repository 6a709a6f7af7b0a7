package io.protoloop.nio;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tls.layer.SslProtocol;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.TransportView;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * A listening stream server, TCP or Unix domain. Its sockets are accepted on one loop; each accepted connection
 * is handed to the loop the {@code childLoops} supplier picks (always the same loop for a single loop,
 * round-robin for an {@link EventLoopGroup}) and stays there for life.
 */
final class SocketServer implements Server, LoopResource, ConnectionTracker {

	private static final System.Logger logger = System.getLogger(SocketServer.class.getName());

	/** How long accepting pauses after an accept error such as running out of file descriptors (asyncio's value). */
	private static final Duration ACCEPT_RETRY_DELAY = Duration.ofSeconds(1);

	/** Most connections accepted per wake-up, whatever the backlog (a Spring endpoint's follows the OS's). */
	static final int MAX_ACCEPTS_PER_WAKEUP = 256;

	private final SelectorEventLoop loop;

	private final Supplier<SelectorEventLoop> childLoops;

	private final Supplier<? extends StreamProtocol> factory;

	private final ServerOptions options;

	private final List<Acceptor> acceptors = new ArrayList<>();

	private final List<SocketAddress> addresses = new ArrayList<>();

	/**
	 * The server's connections, each with the client address it counts against ({@link #UNCOUNTED} when
	 * {@code maxConnectionsPerAddress} is not set): one map, so the limit costs no entry of its own per connection.
	 */
	private final ConcurrentHashMap<SocketTransport, Object> clients = new ConcurrentHashMap<>();

	private static final Object UNCOUNTED = new Object();

	/** Completed by {@link #close()}. */
	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	/** What the one {@link #serveForever()} call waits for, cancelled by {@link #close()}; null before the call. */
	private final AtomicReference<CompletableFuture<Void>> servingForever = new AtomicReference<>();

	/** Completed once closed and every client is gone: what {@link #waitClosed()} waits for. */
	private final CompletableFuture<Void> drained = new CompletableFuture<>();

	private final Path unixPath;

	private final Object unixFileKey;

	private volatile boolean serving;

	private final ConnectionLimits limits;

	private final RateLimitedLog acceptErrors = new RateLimitedLog(RateLimitedLog.PERIOD);

	private SocketServer(SelectorEventLoop loop, Supplier<SelectorEventLoop> childLoops, Supplier<? extends StreamProtocol> factory,
			ServerOptions options, List<ListenSocket> sockets, Path unixPath) throws IOException {
		this.loop = loop;
		this.childLoops = childLoops;
		this.factory = factory;
		this.options = options;
		this.limits = new ConnectionLimits(loop, options, this);
		this.unixPath = unixPath;
		this.unixFileKey = (unixPath != null) ? UnixSocketFiles.fileKey(unixPath) : null;
		for (ListenSocket socket : sockets) {
			this.addresses.add(socket.localAddress());
			this.acceptors.add(new Acceptor(socket));
		}
		loop.track(this);
		if (options.startServing()) {
			startServing();
		}
	}

	/**
	 * Binds a TCP server (resolving host names off the loop thread) and returns it once it is bound.
	 * @param childLoops picks the loop for each accepted connection
	 */
	static CompletableFuture<Server> create(SelectorEventLoop loop, Supplier<SelectorEventLoop> childLoops,
			Supplier<? extends StreamProtocol> factory, ServerOptions options) {
		if (options.socket() != null) {
			return loop.submit(() -> new SocketServer(loop, childLoops, factory, options,
					List.of(new NioListenSocket(options.socket())), null));
		}
		return loop.runInExecutor(null, () -> resolve(options.hosts(), options.port()))
			.thenApplyAsync((addresses) -> {
				List<ListenSocket> sockets = bindAll(loop.sockets(), addresses, options);
				try {
					return new SocketServer(loop, childLoops, factory, options, sockets, null);
				}
				catch (IOException ex) {
					sockets.forEach(SocketServer::closeQuietly);
					throw new CompletionException(ex);
				}
			}, loop);
	}

	/** Binds a Unix domain socket server at {@code path}, removing a stale socket file first. */
	static CompletableFuture<Server> createUnix(SelectorEventLoop loop, Supplier<SelectorEventLoop> childLoops,
			Supplier<? extends StreamProtocol> factory, Path path, ServerOptions options) {
		return loop.submit(() -> {
			ServerSocketChannel channel = options.socket();
			if (channel != null) {
				Path socketPath = (channel.getLocalAddress() instanceof UnixDomainSocketAddress bound) ? bound.getPath()
						: path;
				return new SocketServer(loop, childLoops, factory, options, List.of(new NioListenSocket(channel)),
						socketPath);
			}
			UnixSocketFiles.removeStale(path);
			ListenSocket socket;
			try {
				socket = loop.sockets().listen(UnixDomainSocketAddress.of(path), options.backlog(), false, false);
			}
			catch (IOException ex) {
				throw bindFailure(UnixDomainSocketAddress.of(path), ex);
			}
			try {
				UnixSocketFiles.setMode(path, options.unixFileMode());
			}
			catch (IOException | RuntimeException ex) {
				closeQuietly(socket);
				throw bindFailure(UnixDomainSocketAddress.of(path), ex);
			}
			return new SocketServer(loop, childLoops, factory, options, List.of(socket), path);
		});
	}

	private static List<InetSocketAddress> resolve(List<String> hosts, int port) throws IOException {
		if (hosts.isEmpty()) {
			return List.of(new InetSocketAddress(port));
		}
		Set<InetSocketAddress> addresses = new LinkedHashSet<>();
		for (String host : hosts) {
			for (InetAddress address : InetAddress.getAllByName(host)) {
				addresses.add(new InetSocketAddress(address, port));
			}
		}
		return List.copyOf(addresses);
	}

	private static List<ListenSocket> bindAll(Sockets opener, List<InetSocketAddress> addresses,
			ServerOptions options) {
		List<ListenSocket> sockets = new ArrayList<>();
		for (InetSocketAddress address : addresses) {
			try {
				sockets.add(opener.listen(address, options.backlog(), options.reuseAddress(), options.reusePort()));
			}
			catch (IOException | RuntimeException ex) {
				sockets.forEach(SocketServer::closeQuietly);
				throw new CompletionException(bindFailure(address, ex));
			}
		}
		return sockets;
	}

	private static BindException bindFailure(SocketAddress address, Exception cause) {
		BindException failure = new BindException(
				"error while attempting to bind on address " + address + ": " + cause.getMessage());
		failure.initCause(cause);
		return failure;
	}

	// ---------------------------------------------------------------- accepting

	private void accept(Acceptor acceptor) {
		// As asyncio, at most a backlog per wake-up; and never so many that a large backlog starves other I/O.
		int most = Math.min(this.options.backlog(), MAX_ACCEPTS_PER_WAKEUP);
		for (int i = 0; i < most; i++) {
			StreamSocket socket;
			try {
				socket = acceptor.socket.accept();
			}
			catch (IOException ex) {
				if (!this.serving) {
					return;
				}
				// Out of file descriptors, or similar: report (once per period, not a trace a second), then stop
				// accepting for a while instead of spinning.
				long count = this.acceptErrors.occurred(this.loop.time());
				if (count > 0) {
					this.loop.callExceptionHandler(new ExceptionContext("Error accepting a connection (" + count
							+ " since the last report; accepting pauses " + ACCEPT_RETRY_DELAY.toMillis()
							+ " ms after each)", ex, null, null, this));
				}
				acceptor.setAccepting(false);
				this.loop.callLater(ACCEPT_RETRY_DELAY, () -> acceptor.setAccepting(this.serving));
				return;
			}
			if (socket == null) {
				return;
			}
			InetAddress address = this.limits.addressToCount(socket);
			if (this.limits.admit(socket, address)) {
				handOff(socket, address);
			}
		}
	}

	private void handOff(StreamSocket socket, InetAddress address) {
		SelectorEventLoop target = this.childLoops.get();
		if (target == this.loop) {
			attach(target, socket, address);
			return;
		}
		try {
			target.execute(() -> attach(target, socket, address));
		}
		catch (IllegalStateException closedLoop) {
			closeQuietly(socket);
			this.limits.released(address);
		}
	}

	private void attach(SelectorEventLoop target, StreamSocket socket, InetAddress address) {
		try {
			socket.configure(this.options.keepAlive());
			StreamProtocol protocol = this.factory.get();
			TransportSettings settings = this.options.settings();
			StreamProtocol onSocket = (settings.tls() != null)
					? SslProtocol.server(target, protocol, settings.tls(), settings) : protocol;
			if (this.options.proxyProtocol() != ProxyProtocol.OFF) {
				onSocket = new ProxyHeaderReader(this.options.proxyProtocol(), onSocket);
			}
			SocketTransport transport = new SocketTransport(target, socket, onSocket, settings, this);
			this.clients.put(transport, (address != null) ? address : UNCOUNTED);
			transport.start(new CompletableFuture<>());
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			closeQuietly(socket);
			this.limits.released(address);
			target.callExceptionHandler(new ExceptionContext("Error setting up an accepted connection", ex, null,
					null, this));
		}
	}

	@Override
	public void connectionClosed(AbstractTransport<?> transport) {
		Object address = this.clients.remove(transport);
		if (address != null) {
			this.limits.released((address != UNCOUNTED) ? (InetAddress) address : null);
		}
		if (this.closed.isDone() && this.clients.isEmpty()) {
			this.drained.complete(null);
		}
	}

	// ---------------------------------------------------------------- Server

	@Override
	public void close() {
		onLoop(this.loop, () -> {
			if (this.closed.isDone()) {
				return;
			}
			this.serving = false;
			for (Acceptor acceptor : this.acceptors) {
				acceptor.key.cancel();
				closeQuietly(acceptor.socket);
			}
			if (this.unixPath != null) {
				UnixSocketFiles.cleanup(this.unixPath, this.unixFileKey);
			}
			this.loop.untrack(this);
			this.closed.complete(null);
			CompletableFuture<Void> forever = this.servingForever.get();
			if (forever != null) {
				forever.cancel(false);
			}
			if (this.clients.isEmpty()) {
				this.drained.complete(null);
			}
		});
	}

	@Override
	public void closeWithLoop() {
		close();
	}

	@Override
	public void closeClients() {
		for (SocketTransport client : this.clients.keySet()) {
			onLoop(client.getLoop(), () -> client.applicationTransport().close());
		}
	}

	@Override
	public void abortClients() {
		for (SocketTransport client : this.clients.keySet()) {
			onLoop(client.getLoop(), client::abort);
		}
	}

	@Override
	public CompletableFuture<Void> waitClosed() {
		return this.drained.copy();
	}

	@Override
	public void startServing() {
		onLoop(this.loop, () -> {
			if (this.closed.isDone() || this.serving) {
				return;
			}
			this.serving = true;
			this.acceptors.forEach((acceptor) -> acceptor.setAccepting(true));
		});
	}

	@Override
	public void stopServing() {
		onLoop(this.loop, () -> {
			if (this.serving) {
				this.serving = false;
				this.acceptors.forEach((acceptor) -> acceptor.setAccepting(false));
			}
		});
	}

	/**
	 * Starts serving and returns a future that the server's {@link #close()} cancels, as asyncio's
	 * {@code serve_forever()} ends with {@code CancelledError}; fails at once if the server is closed or a call
	 * is already waiting (asyncio's {@code RuntimeError}s).
	 */
	@Override
	public CompletableFuture<Void> serveForever() {
		if (this.closed.isDone()) {
			return CompletableFuture.failedFuture(new IllegalStateException("serveForever() on a closed server: " + this));
		}
		CompletableFuture<Void> forever = new CompletableFuture<>();
		if (!this.servingForever.compareAndSet(null, forever)) {
			return CompletableFuture.failedFuture(
					new IllegalStateException("serveForever() is already waiting on " + this));
		}
		startServing();
		if (this.closed.isDone()) {
			forever.cancel(false);
		}
		return forever;
	}

	@Override
	public boolean isServing() {
		return this.serving;
	}

	@Override
	public List<NetworkChannel> sockets() {
		if (this.closed.isDone()) {
			return List.of();
		}
		return this.acceptors.stream().map((acceptor) -> acceptor.socket.channel()).toList();
	}

	@Override
	public List<SocketAddress> addresses() {
		return List.copyOf(this.addresses);
	}

	@Override
	public int connectionCount() {
		return this.clients.size();
	}

	@Override
	public List<Transport> transports() {
		return this.clients.keySet().stream().map((client) -> (Transport) client.applicationTransport()).toList();
	}

	@Override
	public List<TransportView> connections() {
		return List.copyOf(this.clients.keySet());
	}

	@Override
	public EventLoop getLoop() {
		return this.loop;
	}

	@Override
	public String toString() {
		return "Server" + this.addresses + "[" + (this.serving ? "serving" : this.closed.isDone() ? "closed" : "idle")
				+ ", connections=" + this.clients.size() + "]";
	}

	/** Runs {@code action} on {@code target}'s thread: now if already there or if the loop is not running. */
	private static void onLoop(EventLoop target, Runnable action) {
		if (target.inEventLoop() || !target.isRunning()) {
			if (!target.isClosed()) {
				action.run();
			}
			return;
		}
		try {
			target.execute(action);
		}
		catch (IllegalStateException closedLoop) {
			// A closed loop has already closed what it ran.
		}
	}

	static void closeQuietly(Closeable channel) {
		if (channel == null) {
			return;
		}
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Error closing " + channel, ex);
		}
	}

	/** The selector attachment of one listening socket. */
	private final class Acceptor implements SelectorHandler {

		private final ListenSocket socket;

		private final PollKey key;

		Acceptor(ListenSocket socket) throws IOException {
			this.socket = socket;
			this.key = socket.register(SocketServer.this.loop, 0, this);
		}

		void setAccepting(boolean accepting) {
			if (this.key.isValid()) {
				this.key.interestOps(accepting ? SelectionKey.OP_ACCEPT : 0);
			}
		}

		@Override
		public void onReady(int readyOps) {
			accept(this);
		}

		@Override
		public String toString() {
			return "Acceptor[" + SocketServer.this + "]";
		}

	}

}
