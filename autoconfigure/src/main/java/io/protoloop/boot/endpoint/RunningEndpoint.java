package io.protoloop.boot.endpoint;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.ShutdownAware;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.protocol.BaseProtocol;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.support.SelectorTransport;

/**
 * A started endpoint: a stream server (tcp, unix) or a datagram transport (udp), with what it is bound to.
 * Thread-safe: operations run on the loops that own the sockets.
 */
public final class RunningEndpoint {

	private final EndpointDefinition definition;

	private final Server server;

	private final DatagramTransport datagramTransport;

	private final List<SocketAddress> addresses;

	private final EndpointStatistics statistics;

	/** Whether a udp endpoint was asked to serve; a protocol pausing its own reading does not change it. */
	private volatile boolean datagramServing = true;

	private RunningEndpoint(EndpointDefinition definition, EndpointStatistics statistics, Server server,
			DatagramTransport datagramTransport, List<SocketAddress> addresses) {
		this.definition = definition;
		this.statistics = statistics;
		this.server = server;
		this.datagramTransport = datagramTransport;
		this.addresses = List.copyOf(addresses);
	}

	static RunningEndpoint ofServer(EndpointDefinition definition, EndpointStatistics statistics, Server server) {
		return new RunningEndpoint(definition, statistics, server, null, server.addresses());
	}

	static RunningEndpoint ofDatagram(EndpointDefinition definition, EndpointStatistics statistics,
			DatagramTransport transport) {
		return new RunningEndpoint(definition, statistics, null, transport,
				List.of((SocketAddress) transport.getExtraInfo("sockname")));
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

	/** Returns the stream server, or {@code null} for a udp endpoint. */
	public Server server() {
		return this.server;
	}

	/** Returns the datagram transport, or {@code null} for a stream endpoint. */
	public DatagramTransport datagramTransport() {
		return this.datagramTransport;
	}

	/** Returns {@code true} while the endpoint accepts connections (stream) or reads datagrams (udp). */
	public boolean isServing() {
		return (this.server != null) ? this.server.isServing()
				: this.datagramServing && !this.datagramTransport.isClosing();
	}

	/**
	 * Stops or starts serving: a stream endpoint stops accepting (its socket stays bound and open connections
	 * go on), a udp endpoint stops reading. Thread-safe.
	 */
	public void setServing(boolean serving) {
		if (this.server != null) {
			if (serving) {
				this.server.startServing();
			}
			else {
				this.server.stopServing();
			}
			return;
		}
		this.datagramServing = serving;
		DatagramTransport transport = this.datagramTransport;
		transport.getLoop().execute(serving ? transport::resumeReading : transport::pauseReading);
	}

	/** Returns the endpoint's open transports, a snapshot: use each on its own loop. */
	public List<BaseTransport> transports() {
		return (this.server != null) ? List.copyOf(this.server.transports()) : List.of(this.datagramTransport);
	}

	/** Returns the number of open connections (stream), or 1 while a udp endpoint is open. */
	public long connectionCount() {
		return (this.server != null) ? this.server.connectionCount() : (this.datagramTransport.isClosing() ? 0 : 1);
	}

	/**
	 * Begins a graceful shutdown: stops accepting, tells each {@link ShutdownAware} protocol, then closes each
	 * transport, which flushes what was written.
	 * @return a future completed once every connection is closed
	 */
	CompletableFuture<Void> shutdown() {
		if (this.server != null) {
			this.server.close();
			for (Transport transport : this.server.transports()) {
				transport.getLoop().execute(() -> sayGoodbyeAndClose(transport));
			}
			return this.server.waitClosed();
		}
		this.datagramTransport.getLoop().execute(() -> sayGoodbyeAndClose(this.datagramTransport));
		return ((SelectorTransport) this.datagramTransport).whenClosed();
	}

	/** Aborts what a graceful shutdown left open. */
	void abort() {
		if (this.server != null) {
			this.server.abortClients();
		}
		else {
			this.datagramTransport.getLoop().execute(this.datagramTransport::abort);
		}
	}

	private static void sayGoodbyeAndClose(BaseTransport transport) {
		BaseProtocol protocol = transport.getProtocol();
		if (protocol instanceof ShutdownAware aware && !transport.isClosing()) {
			try {
				aware.shutdownStarted();
			}
			catch (RuntimeException ex) {
				transport.getLoop().callExceptionHandler(new ExceptionContext(
						"Exception in ShutdownAware.shutdownStarted()", ex, transport, protocol, null));
			}
		}
		transport.close();
	}

	@Override
	public String toString() {
		return this.definition.kind().name().toLowerCase() + " endpoint '" + name() + "' on " + this.addresses;
	}

}
