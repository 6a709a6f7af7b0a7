package io.protoloop.boot.endpoint;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.ShutdownAware;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.protocol.BaseProtocol;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.TransportView;

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

	/** Returns the endpoint's running totals. */
	public EndpointStatistics statistics() {
		return this.statistics;
	}

	public String name() {
		return this.definition.name();
	}

	public EndpointKind kind() {
		return this.definition.kind();
	}

	public EndpointDefinition definition() {
		return this.definition;
	}

	/** Returns the bound addresses, with the actual ports. */
	public List<SocketAddress> addresses() {
		return this.addresses;
	}

	/** Returns {@code true} while the endpoint accepts connections (stream) or reads datagrams (udp). */
	public abstract boolean isServing();

	/**
	 * Stops or starts serving: a stream endpoint stops accepting (its socket stays bound and open connections
	 * go on), a udp endpoint stops reading. Thread-safe.
	 */
	public abstract void setServing(boolean serving);

	/** Returns the public views of the endpoint's open connections (a udp endpoint has one), a snapshot. */
	public abstract List<TransportView> connections();

	/** Returns the number of open connections (stream), or 1 while a udp endpoint is open. */
	public abstract long connectionCount();

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

	/** A tcp or unix endpoint: a listening server and the connections it accepted. */
	public static final class Stream extends RunningEndpoint {

		/** The listening server; it also tracks the connections it accepted. */
		private final Server server;

		Stream(EndpointDefinition definition, EndpointStatistics statistics, Server server) {
			super(definition, statistics, server.addresses());
			this.server = server;
		}

		/** Returns the listening server. */
		public Server server() {
			return this.server;
		}

		@Override
		public boolean isServing() {
			return this.server.isServing();
		}

		@Override
		public void setServing(boolean serving) {
			if (serving) {
				this.server.startServing();
			}
			else {
				this.server.stopServing();
			}
		}

		@Override
		public List<TransportView> connections() {
			return this.server.connections();
		}

		@Override
		public long connectionCount() {
			return this.server.connectionCount();
		}

		@Override
		CompletableFuture<Void> shutdown() {
			this.server.close();
			this.server.connections().forEach(RunningEndpoint::sayGoodbyeAndClose);
			return this.server.waitClosed();
		}

		@Override
		void abort() {
			this.server.abortClients();
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

		/** Returns the datagram transport. Use it on its own loop. */
		public DatagramTransport transport() {
			return this.transport;
		}

		@Override
		public boolean isServing() {
			return this.serving && !this.transport.isClosing();
		}

		@Override
		public void setServing(boolean serving) {
			this.serving = serving;
			this.transport.getLoop()
				.execute(serving ? this.transport::resumeReading : this.transport::pauseReading);
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
