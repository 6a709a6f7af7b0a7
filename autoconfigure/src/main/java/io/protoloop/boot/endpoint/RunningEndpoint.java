package io.protoloop.boot.endpoint;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.ShutdownAware;
import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.protocol.BaseProtocol;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.TransportView;
import io.protoloop.transport.WriteBufferControl;

/**
 * A started endpoint, one subclass per kind of socket: a {@link Stream} server (tcp, unix) or a {@link Datagram}
 * transport (udp). Operators and shutdown reach its connections through their public {@link TransportView}s
 * only, so a layer such as TLS between the socket and the application protocol is followed, not bypassed.
 * Thread-safe: operations run on the loops that own the sockets.
 */
public abstract sealed class RunningEndpoint permits RunningEndpoint.Stream, RunningEndpoint.Datagram {

	/** What the endpoint was started from. */
	private final EndpointDefinition definition;

	/** The totals every transport of the endpoint reports to, kept for the life of the application. */
	private final EndpointStatistics statistics;

	/** Where it is bound, with the actual ports, taken once at start. */
	private final List<SocketAddress> addresses;

	private RunningEndpoint(EndpointDefinition definition, EndpointStatistics statistics,
			List<SocketAddress> addresses) {
		this.definition = definition;
		this.statistics = statistics;
		this.addresses = List.copyOf(addresses);
	}

	/**
	 * {@return the endpoint's running totals}
	 */
	public EndpointStatistics statistics() {
		return this.statistics;
	}

	/**
	 * {@return the endpoint's name, its key under {@code protoloop.endpoints}}
	 */
	public String name() {
		return this.definition.name();
	}

	/**
	 * {@return the endpoint's kind: {@code TCP}, {@code UNIX} or {@code UDP}}
	 */
	public EndpointKind kind() {
		return this.definition.kind();
	}

	/**
	 * {@return the definition the endpoint was started from}
	 */
	public EndpointDefinition definition() {
		return this.definition;
	}

	/**
	 * {@return the bound addresses, with the actual ports}
	 */
	public List<SocketAddress> addresses() {
		return this.addresses;
	}

	/**
	 * {@return {@code true} while the endpoint accepts connections (stream) or reads datagrams (udp)}
	 */
	public abstract boolean isServing();

	/**
	 * Stops or starts serving, in a way clients see. A stream endpoint closes its listening socket, so new
	 * connections are refused (a unix socket file is removed), and binds the same address again to serve again;
	 * the connections already open go on either way. A udp endpoint stops reading: datagrams wait in the socket's
	 * receive buffer, and the kernel drops those that do not fit. Thread-safe.
	 * @return a future completed once the change is in effect, failed if the address could not be bound again
	 * @param serving {@code true} to serve, {@code false} to stop
	 */
	public abstract CompletableFuture<Void> setServing(boolean serving);

	/**
	 * {@return the public views of the endpoint's open connections (a udp endpoint has one), a snapshot}
	 */
	public abstract List<TransportView> connections();

	/**
	 * {@return the number of open connections (stream), or 1 while a udp endpoint is open}
	 */
	public abstract long connectionCount();

	/**
	 * {@return the transports of the open connections (a udp endpoint has one), a snapshot} Their write-buffer sizes
	 * may be read from any thread.
	 */
	public abstract List<? extends WriteBufferControl> transports();

	/**
	 * Begins a graceful shutdown: stops accepting, tells each {@link ShutdownAware} application protocol, then
	 * closes each connection through its application transport, which flushes what was written.
	 * @return a future completed once every connection is closed
	 */
	abstract CompletableFuture<Void> shutdown();

	/** Aborts what a graceful shutdown left open. */
	abstract void abort();

	/**
	 * Lets the application protocol of the connection say goodbye, then closes the transport it writes to, on
	 * the connection's loop. Closing the application transport, not the socket's, lets a layer (TLS) end its
	 * own session on the wire first.
	 */
	private static void sayGoodbyeAndClose(TransportView connection) {
		connection.getLoop().execute(() -> {
			BaseTransport transport = connection.applicationTransport();
			if (transport.isClosing()) {
				return;
			}
			BaseProtocol protocol = connection.applicationProtocol();
			if (protocol instanceof ShutdownAware aware) {
				try {
					aware.shutdownStarted();
				}
				catch (RuntimeException ex) {
					transport.getLoop().callExceptionHandler(new ExceptionContext(
							"Exception in ShutdownAware.shutdownStarted()", ex, transport, protocol, null));
				}
			}
			transport.close();
		});
	}

	@Override
	public String toString() {
		return kind().name().toLowerCase() + " endpoint '" + name() + "' on " + this.addresses;
	}

	/**
	 * A tcp or unix endpoint: a listening server and the connections it accepted. Stopping to serve closes the
	 * server, which keeps its connections until they end; serving again binds a new server at the same address.
	 */
	public static final class Stream extends RunningEndpoint {

		/** Binds a new server at the endpoint's address, to serve again. */
		private final Supplier<CompletableFuture<Server>> binder;

		/** Every server that listens or still has connections; a closed one leaves once its connections end. */
		private final List<Server> servers = new CopyOnWriteArrayList<>();

		/** The server that listens, or {@code null} while the endpoint does not serve. Written under the lock. */
		private volatile Server listening;

		/** The server bound last. */
		private volatile Server latest;

		/** Whether the endpoint should serve: what the last call asked for. Guarded by {@code this}. */
		private boolean wanted = true;

		/** The bind under way for serving again, or {@code null}. Guarded by {@code this}. */
		private CompletableFuture<Void> binding;

		Stream(EndpointDefinition definition, EndpointStatistics statistics, Server server,
				Supplier<CompletableFuture<Server>> binder) {
			super(definition, statistics, server.addresses());
			this.binder = binder;
			this.listening = server;
			added(server);
		}

		/**
		 * {@return the server listening now, or, while the endpoint does not serve, the last one that listened}
		 */
		public Server server() {
			return this.latest;
		}

		@Override
		public boolean isServing() {
			Server server = this.listening;
			return server != null && server.isServing();
		}

		@Override
		public synchronized CompletableFuture<Void> setServing(boolean serving) {
			this.wanted = serving;
			Server server = this.listening;
			if (!serving) {
				this.listening = null;
				if (server != null) {
					return closeListening(server);
				}
				// A bind under way: bound() closes what it binds.
				return (this.binding != null) ? this.binding : CompletableFuture.completedFuture(null);
			}
			if (server != null) {
				return CompletableFuture.completedFuture(null);
			}
			if (this.binding == null || this.binding.isDone()) {
				this.binding = this.binder.get().thenAccept(this::bound);
			}
			return this.binding;
		}

		/** A server bound to serve again: it listens, unless serving was stopped meanwhile. */
		private synchronized void bound(Server server) {
			added(server);
			if (this.wanted) {
				this.listening = server;
			}
			else {
				server.close();
			}
		}

		private void added(Server server) {
			this.latest = server;
			this.servers.add(server);
			server.waitClosed().thenRun(() -> this.servers.remove(server));
		}

		/**
		 * Closes the listening sockets; the future completes once they are closed in the kernel. The JDK closes a
		 * socket registered with a selector only when the selector next selects: until then it still completes
		 * handshakes, and those connections are reset. The loop selects after its ready callbacks, so a callback
		 * scheduled by the one after the close runs once the socket is gone.
		 */
		private static CompletableFuture<Void> closeListening(Server server) {
			server.close();
			EventLoop loop = server.getLoop();
			CompletableFuture<Void> closed = new CompletableFuture<>();
			try {
				loop.execute(() -> loop.callSoon(() -> closed.complete(null)));
			}
			catch (IllegalStateException closedLoop) {
				// A closed loop has closed its servers.
				closed.complete(null);
			}
			return closed;
		}

		@Override
		public List<TransportView> connections() {
			return this.servers.stream().flatMap((server) -> server.connections().stream()).toList();
		}

		@Override
		public long connectionCount() {
			return this.servers.stream().mapToLong(Server::connectionCount).sum();
		}

		@Override
		public List<? extends WriteBufferControl> transports() {
			return this.servers.stream().flatMap((server) -> server.transports().stream()).toList();
		}

		@Override
		CompletableFuture<Void> shutdown() {
			List<Server> servers;
			synchronized (this) {
				this.wanted = false;
				this.listening = null;
				servers = List.copyOf(this.servers);
			}
			servers.forEach(Server::close);
			connections().forEach(RunningEndpoint::sayGoodbyeAndClose);
			return CompletableFuture.allOf(servers.stream().map(Server::waitClosed).toArray(CompletableFuture[]::new));
		}

		@Override
		void abort() {
			this.servers.forEach(Server::abortClients);
		}

	}

	/** A udp endpoint: one datagram transport. */
	public static final class Datagram extends RunningEndpoint {

		/** The endpoint's one transport. */
		private final DatagramTransport transport;

		/** Whether the endpoint was asked to serve; a protocol pausing its own reading does not change it. */
		private volatile boolean serving = true;

		Datagram(EndpointDefinition definition, EndpointStatistics statistics, DatagramTransport transport) {
			super(definition, statistics, List.of((SocketAddress) transport.getExtraInfo(ExtraInfo.SOCKNAME)));
			this.transport = transport;
		}

		/**
		 * {@return the datagram transport} Use it on its own loop.
		 */
		public DatagramTransport transport() {
			return this.transport;
		}

		@Override
		public boolean isServing() {
			return this.serving && !this.transport.isClosing();
		}

		@Override
		public CompletableFuture<Void> setServing(boolean serving) {
			this.serving = serving;
			return this.transport.getLoop().submit(() -> {
				if (serving) {
					this.transport.resumeReading();
				}
				else {
					this.transport.pauseReading();
				}
				return null;
			});
		}

		@Override
		public List<TransportView> connections() {
			return this.transport.isClosing() ? List.of() : List.of(this.transport.view());
		}

		@Override
		public long connectionCount() {
			return this.transport.isClosing() ? 0 : 1;
		}

		@Override
		public List<? extends WriteBufferControl> transports() {
			return List.of(this.transport);
		}

		@Override
		CompletableFuture<Void> shutdown() {
			TransportView view = this.transport.view();
			sayGoodbyeAndClose(view);
			return view.whenClosed();
		}

		@Override
		void abort() {
			this.transport.getLoop().execute(this.transport::abort);
		}

	}

}
