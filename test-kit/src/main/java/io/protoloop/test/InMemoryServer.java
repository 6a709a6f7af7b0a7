package io.protoloop.test;

import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.TransportView;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * A stream server in memory, for testing a client and a server protocol together without sockets: each
 * {@link #connect(Supplier)} makes a pair of in-memory transports on the server's loop, connected to each other.
 * What one end writes waits in its write buffer until the other end reads it, in a loop callback and only
 * while it is reading, so flow control works as over a socket with no kernel buffer; {@code writeEof()} reaches
 * the peer after the pending data, a clean close reaches it as EOF, and an abort as a reset (its
 * {@code connectionLost} gets an {@link java.io.IOException}). The transports follow the lifecycle every
 * transport shares and pass the stream transport contract.
 *
 * <p>The loop can be any event loop, run the way the test likes (for instance {@code runUntilComplete} with a
 * {@code VirtualClock}). As for any server, its methods may be called from any thread and run on its loop; the
 * transports must be used on the loop's thread.
 */
public final class InMemoryServer implements Server {

	private static final AtomicInteger names = new AtomicInteger();

	private final EventLoop loop;

	private final Supplier<? extends StreamProtocol> factory;

	private final SocketAddress address = new InMemoryAddress("server-" + names.incrementAndGet());

	private final Set<InMemoryStream> accepted = ConcurrentHashMap.newKeySet();

	private final ConnectionTracker tracker = this::connectionClosed;

	/** Completed by {@link #close()}: what {@link #serveForever()} waits for. */
	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	/** Completed once closed and every accepted connection is gone: what {@link #waitClosed()} waits for. */
	private final CompletableFuture<Void> drained = new CompletableFuture<>();

	private volatile boolean serving = true;

	/**
	 * Creates a server on {@code loop}, serving at once, whose connections get protocols from {@code factory}.
	 * @param loop the loop the server and its connections run on
	 * @param factory makes the protocol of each accepted connection
	 */
	public InMemoryServer(EventLoop loop, Supplier<? extends StreamProtocol> factory) {
		this.loop = Objects.requireNonNull(loop, "loop");
		this.factory = Objects.requireNonNull(factory, "factory");
	}

	/**
	 * Connects a client whose protocol comes from {@code factory}, as {@code createConnection} does: the future
	 * completes once the client's {@code connectionMade} has run. Any thread. It fails with a
	 * {@link ConnectException} when the server is not serving (in memory there is no backlog), and with what a
	 * factory threw.
	 * @param <P> the client protocol's type
	 * @param factory makes the client's protocol
	 * @return the client's transport and protocol, once connected
	 */
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connect(
			Supplier<P> factory) {
		return this.loop.submit(() -> accept(factory)).thenCompose(Function.identity());
	}

	private <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> accept(
			Supplier<P> clientFactory) throws ConnectException {
		if (!this.serving) {
			throw new ConnectException("Connection refused: " + this + " is not serving");
		}
		P protocol = clientFactory.get();
		SocketAddress clientAddress = new InMemoryAddress("client-" + names.incrementAndGet());
		Pipe toServer = new Pipe(false);
		Pipe toClient = new Pipe(false);
		InMemoryStream server = new InMemoryStream(this.loop, this.factory.get(), toServer, toClient, TransportSettings.DEFAULT,
				this.tracker, this.address, clientAddress, Driver.DIRECT);
		InMemoryStream client = new InMemoryStream(this.loop, protocol, toClient, toServer, TransportSettings.DEFAULT,
				ConnectionTracker.NONE, clientAddress, this.address, Driver.DIRECT);
		this.accepted.add(server);
		server.start(new CompletableFuture<>());
		CompletableFuture<Void> made = new CompletableFuture<>();
		client.start(made);
		return made.thenApply((ignored) -> new TransportAndProtocol<>(client, protocol));
	}

	private void connectionClosed(AbstractTransport<?> transport) {
		this.accepted.remove(transport);
		completeIfDrained();
	}

	private void completeIfDrained() {
		if (this.closed.isDone() && this.accepted.isEmpty()) {
			this.drained.complete(null);
		}
	}

	/** Runs {@code action} on the loop: now when called there or while the loop is not running, else as a callback. */
	private void onLoop(Runnable action) {
		if (this.loop.inEventLoop() || !this.loop.isRunning()) {
			action.run();
		}
		else {
			this.loop.execute(action);
		}
	}

	// ---------------------------------------------------------------- serving

	/** Stops accepting connections; those accepted stay open. Idempotent. */
	@Override
	public void close() {
		onLoop(() -> {
			this.serving = false;
			this.closed.complete(null);
			completeIfDrained();
		});
	}

	@Override
	public CompletableFuture<Void> waitClosed() {
		return this.drained.copy();
	}

	@Override
	public void startServing() {
		onLoop(() -> this.serving = !this.closed.isDone());
	}

	/** Stops accepting: a connection attempt fails until {@link #startServing()} (in memory there is no backlog). */
	@Override
	public void stopServing() {
		onLoop(() -> this.serving = false);
	}

	@Override
	public boolean isServing() {
		return this.serving;
	}

	@Override
	public CompletableFuture<Void> serveForever() {
		startServing();
		return this.closed.copy();
	}

	// ---------------------------------------------------------------- the accepted connections

	@Override
	public void closeClients() {
		onLoop(() -> List.copyOf(this.accepted).forEach((end) -> end.applicationTransport().close()));
	}

	@Override
	public void abortClients() {
		onLoop(() -> List.copyOf(this.accepted).forEach(InMemoryStream::abort));
	}

	@Override
	public int connectionCount() {
		return this.accepted.size();
	}

	@Override
	public List<TransportView> connections() {
		return List.copyOf(this.accepted);
	}

	@Override
	public List<Transport> transports() {
		return this.accepted.stream().map((end) -> (Transport) end.applicationTransport()).toList();
	}

	// ---------------------------------------------------------------- where

	@Override
	public EventLoop getLoop() {
		return this.loop;
	}

	/** Returns the server's one address, which its connections report as their {@code peername}. */
	@Override
	public List<SocketAddress> addresses() {
		return List.of(this.address);
	}

	/** Returns no channel: an in-memory server listens on none. */
	@Override
	public List<NetworkChannel> sockets() {
		return List.of();
	}

	@Override
	public String toString() {
		return "InMemoryServer[" + this.address + ", " + (this.serving ? "serving" : "not serving") + ", connections="
				+ this.accepted.size() + "]";
	}

}
