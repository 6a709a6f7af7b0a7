package io.protoloop.boot.actuate.endpoint;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLSession;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.boot.ssl.TlsConnections;
import io.protoloop.loop.EventLoop;
import io.protoloop.metrics.CloseOutcome;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.metrics.Guard;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.TransportSnapshot;
import io.protoloop.transport.TransportView;

/**
 * The {@code protoloop} Actuator endpoint: the loops and every endpoint ({@code GET /actuator/protoloop}), one
 * endpoint's live connections, a page at a time in the order they were made
 * ({@code GET /actuator/protoloop/{name}?limit=100&offset=0}), and, when write access is granted
 * ({@code management.endpoint.protoloop.access=unrestricted}), stopping or starting an endpoint
 * ({@code POST /actuator/protoloop/{name}} with {@code {"serving": false}}; see
 * {@link RunningEndpoint#setServing}) and closing a connection of a tcp or unix endpoint
 * ({@code DELETE /actuator/protoloop/{name}/{id}}).
 *
 * <p>Named {@code ProtoloopActuatorEndpoint}, not {@code ProtoloopEndpoint} after Boot's convention, because that
 * is three letters away from the {@code @ProtocolEndpoint} annotation users write.
 */
@Endpoint(id = "protoloop", defaultAccess = Access.READ_ONLY)
public class ProtoloopActuatorEndpoint {

	/** Bound on waiting for a loop to take connection snapshots, or for an endpoint to stop or start serving. */
	private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(5);

	/** Connections listed per page unless the request asks for another number. */
	static final int DEFAULT_LIMIT = 100;

	/** The most connections one page may list: each is snapshotted on its loop. */
	static final int MAX_LIMIT = 1000;

	private final ProtocolEndpoints endpoints;

	/**
	 * Creates the endpoint.
	 * @param endpoints the application's endpoints
	 */
	public ProtoloopActuatorEndpoint(ProtocolEndpoints endpoints) {
		this.endpoints = endpoints;
	}

	/**
	 * Describes the loops, with the transport they do I/O with, and every endpoint, with its connection count.
	 * @return the loops and endpoints
	 */
	@ReadOperation
	public ProtoloopDescriptor protoloop() {
		EventLoopGroup group = this.endpoints.group();
		List<LoopDescriptor> loops = group.loops().stream().map(LoopDescriptor::of).toList();
		List<EndpointDescriptor> descriptors = this.endpoints.definitions().stream().map(this::describe).toList();
		return new ProtoloopDescriptor(group.transport().name().toLowerCase(Locale.ROOT), loops, descriptors);
	}

	/**
	 * Describes an endpoint and a page of its live connections, ordered by id (the order they were made).
	 * @param limit the most connections to list, 1 to {@value #MAX_LIMIT} (default {@value #DEFAULT_LIMIT})
	 * @param offset how many connections to skip (default 0)
	 * @param name the endpoint's name
	 * @return the endpoint and the page of its connections
	 */
	@ReadOperation
	public EndpointDetail endpoint(@Selector String name, @Nullable Integer limit, @Nullable Integer offset) {
		int pageLimit = (limit != null) ? limit : DEFAULT_LIMIT;
		int pageOffset = (offset != null) ? offset : 0;
		if (pageLimit < 1 || pageLimit > MAX_LIMIT) {
			throw new InvalidEndpointRequestException("limit must be between 1 and " + MAX_LIMIT + ", not "
					+ pageLimit, "Invalid limit");
		}
		if (pageOffset < 0) {
			throw new InvalidEndpointRequestException("offset must be 0 or more, not " + pageOffset,
					"Invalid offset");
		}
		EndpointDefinition definition = definition(name);
		if (definition == null) {
			return null;
		}
		RunningEndpoint running = this.endpoints.get(name);
		List<TransportView> all = (running != null) ? running.connections() : List.of();
		List<TransportView> page = all.stream()
			.sorted(Comparator.comparingLong(TransportView::id))
			.skip(pageOffset)
			.limit(pageLimit)
			.toList();
		return new EndpointDetail(describe(definition), all.size(), pageOffset, pageLimit, snapshots(page));
	}

	/**
	 * Stops or starts an endpoint's serving, as clients see it.
	 * @param name the endpoint's name
	 * @param serving {@code true} to serve, {@code false} to stop
	 * @return the endpoint once changed, or {@code null} (404) when it does not exist
	 */
	@WriteOperation
	public EndpointDescriptor serving(@Selector String name, boolean serving) {
		RunningEndpoint running = this.endpoints.get(name);
		if (running == null) {
			return null;
		}
		try {
			running.setServing(serving).get(SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Endpoint '" + name + "' could not serve again at "
					+ running.definition().bindAddress() + ": " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			// Its loop is busy: the change happens when it gets to it; the descriptor shows the state now.
		}
		return describe(running.definition());
	}

	/**
	 * Closes one connection of a tcp or unix endpoint. A udp endpoint is refused (400): its one socket serves
	 * every peer, so there is no connection of one peer to close.
	 * @param name the endpoint's name
	 * @param id the connection's id
	 * @return the closed connection, or {@code null} (404) when the endpoint or the connection does not exist
	 */
	@DeleteOperation
	public ConnectionDescriptor closeConnection(@Selector String name, @Selector long id) {
		RunningEndpoint running = this.endpoints.get(name);
		if (running == null) {
			return null;
		}
		if (running.kind() == EndpointKind.UDP) {
			throw new InvalidEndpointRequestException("Endpoint '" + name + "' is udp: one socket serves every "
					+ "peer, so there is no connection of one peer to close; POST {\"serving\": false} stops it "
					+ "reading", "Not a connection");
		}
		for (TransportView connection : running.connections()) {
			if (connection.id() == id) {
				// Through the application's transport, so a layer (TLS) can end its session on the wire first.
				return await(connection.getLoop().submit(() -> {
					ConnectionDescriptor descriptor = ConnectionDescriptor.of(connection);
					connection.applicationTransport().close();
					return descriptor;
				}));
			}
		}
		return null;
	}

	private EndpointDefinition definition(String name) {
		return this.endpoints.definitions().stream()
			.filter((definition) -> definition.name().equals(name))
			.findFirst()
			.orElse(null);
	}

	private EndpointDescriptor describe(EndpointDefinition definition) {
		RunningEndpoint running = this.endpoints.get(definition.name());
		EndpointStatistics statistics = this.endpoints.statistics(definition.name());
		List<String> addresses = (running != null)
				? running.addresses().stream().map(SocketAddress::toString).toList() : List.of();
		TransportSettings settings = definition.transportSettings();
		Map<String, Long> guards = new LinkedHashMap<>();
		for (Guard guard : Guard.values()) {
			guards.put(guard.tagValue(), this.endpoints.guardsTripped(definition.name(), guard));
		}
		return new EndpointDescriptor(definition.name(), definition.kind().name().toLowerCase(), addresses,
				running != null && running.isServing(), (running != null) ? running.connectionCount() : 0,
				settings.writeBufferLimits().high(), settings.writeBufferLimits().low(), settings.maxWriteBufferSize(),
				definition.sslBundle(), Totals.of(statistics, guards));
	}

	/** Takes each connection's snapshot on its own loop, waiting for them all. */
	private static List<ConnectionDescriptor> snapshots(List<TransportView> connections) {
		List<CompletableFuture<ConnectionDescriptor>> snapshots = connections
			.stream()
			.map((connection) -> connection.getLoop().submit(() -> ConnectionDescriptor.of(connection)))
			.toList();
		return snapshots.stream().map(ProtoloopActuatorEndpoint::await).filter((c) -> c != null).toList();
	}

	private static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException | TimeoutException ex) {
			// A closed loop, or one blocked by a callback: leave that connection out rather than hang.
			return null;
		}
	}

	/** Everything: the transport the loops do I/O with ({@code epoll} or {@code nio}), the loops and endpoints. */
	public record ProtoloopDescriptor(String transport, List<LoopDescriptor> loops, List<EndpointDescriptor> endpoints) {
	}

	/**
	 * One event loop's health figures, and what it runs besides connections: {@code runningChildren} child
	 * processes (until each has exited and its pipes ended) and {@code openPipes} pipe transports (the children's
	 * and the application's own).
	 */
	public record LoopDescriptor(String name, boolean running, int pendingTasks, long slowCallbacks,
			double busySeconds, double idleSeconds, double currentIterationMillis, int runningChildren,
			int openPipes) {

		static LoopDescriptor of(EventLoop loop) {
			return new LoopDescriptor(loop.name(), loop.isRunning(), loop.pendingTasks(), loop.slowCallbacks(),
					loop.busyNanos() / 1e9, loop.idleNanos() / 1e9, loop.currentIterationTime().toNanos() / 1e6,
					loop.runningChildren(), loop.openPipes());
		}

	}

	/**
	 * One endpoint: how it is bound, its write-buffer limits ({@code writeBufferMax} -1: no cap), the SSL bundle
	 * that serves its TLS ({@code null}: plain) and totals.
	 */
	public record EndpointDescriptor(String name, String kind, List<String> addresses, boolean serving,
			long connections, int writeBufferHigh, int writeBufferLow, long writeBufferMax, String sslBundle,
			Totals totals) {
	}

	/**
	 * One endpoint with a page of its live connections: {@code total} open, of which {@code connections} lists
	 * at most {@code limit} from {@code offset} on.
	 */
	public record EndpointDetail(EndpointDescriptor endpoint, int total, int offset, int limit,
			List<ConnectionDescriptor> connections) {
	}

	/** An endpoint's totals since startup; {@code guards} counts the connections each guard ended or refused. */
	public record Totals(long connectionsOpened, Closed connectionsClosed, long bytesReceived,
			long bytesSent, long datagramsReceived, long datagramsSent, long errorsReceived, long writePauses,
			long writeResumes, long readPauses, long readResumes, Map<String, Long> guards) {

		static Totals of(EndpointStatistics s, Map<String, Long> guards) {
			return new Totals(s.opened(),
					new Closed(s.closed(CloseOutcome.CLEAN), s.closed(CloseOutcome.ERROR), s.closed(CloseOutcome.ABORTED)),
					s.bytesReceived(), s.bytesSent(), s.datagramsReceived(), s.datagramsSent(), s.errorsReceived(),
					s.writePauses(), s.writeResumes(), s.readPauses(), s.readResumes(), guards);
		}

	}

	/** Connections ended, by outcome. */
	public record Closed(long clean, long error, long aborted) {
	}

	/**
	 * One live connection, as its loop saw it; bytes are the socket's (for TLS: the records on the wire), and
	 * {@code protocol} is the class of the application protocol, above any layer such as TLS (the TLS layer's own
	 * class during the handshake). {@code tls} is {@code null} for a plain connection and during the handshake.
	 */
	public record ConnectionDescriptor(long id, String peer, String local, double ageSeconds, long bytesReceived,
			long bytesSent, long writeBufferSize, int writeBufferHigh, int writeBufferLow, boolean writingPaused,
			boolean readingPaused, boolean closing, String protocol, @Nullable Tls tls) {

		/** Describes {@code connection}; on its loop thread. */
		static ConnectionDescriptor of(TransportView connection) {
			TransportSnapshot s = connection.snapshot();
			SSLSession session = TlsConnections.session(connection);
			return new ConnectionDescriptor(s.id(), String.valueOf(s.peer()), String.valueOf(s.local()),
					s.age().toNanos() / 1e9, s.bytesReceived(), s.bytesSent(), s.writeBufferSize(),
					s.writeBufferLimits().high(), s.writeBufferLimits().low(), s.writingPaused(), s.readingPaused(),
					s.closing(), connection.applicationProtocol().getClass().getName(),
					(session != null) ? new Tls(session.getProtocol(), session.getCipherSuite()) : null);
		}

	}

	/** The TLS session of a connection: the protocol version ({@code TLSv1.3}) and the cipher suite negotiated. */
	public record Tls(String protocol, String cipherSuite) {
	}

}
