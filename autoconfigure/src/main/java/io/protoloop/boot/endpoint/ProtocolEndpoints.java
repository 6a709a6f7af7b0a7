package io.protoloop.boot.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.diagnostics.EndpointBindException;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.metrics.Guard;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.transport.Server;
import io.protoloop.udp.DatagramOptions;

/**
 * The application's endpoints: starts each configured endpoint once the context is refreshed, publishes where
 * it is bound ({@code local.protoloop.endpoints.<name>.port}, or {@code .path} for unix) and stops them
 * gracefully, after {@link ReadinessDrain} took the application out of readiness: stop accepting, let
 * {@link io.protoloop.boot.ShutdownAware} protocols say goodbye, close every connection (which flushes its writes,
 * then lingers until the peer ends its stream, for at most the endpoint's linger timeout), and abort only what is
 * still open when the drain timeout runs out.
 */
public final class ProtocolEndpoints implements SmartLifecycle {

	/** Name of the property source that holds the bound ports and paths. */
	public static final String PROPERTY_SOURCE_NAME = "protoloop.endpoints";

	/** The lifecycle phase: endpoints start last and stop first, like Boot's web servers. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	private static final Log logger = LogFactory.getLog(ProtocolEndpoints.class);

	/** Bound on the wait for one endpoint to bind. */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final EventLoopGroup group;

	private final List<EndpointDefinition> definitions;

	private final BeanFactory beanFactory;

	private final ConfigurableEnvironment environment;

	private final Duration drainTimeout;

	/** One per endpoint for the life of the application, so totals survive a stop and a start. */
	private final Map<String, EndpointStatistics> statistics = new LinkedHashMap<>();

	private final List<RunningEndpoint> running = new CopyOnWriteArrayList<>();

	private volatile boolean started;

	/**
	 * @param drainTimeout how long connections may take to finish their writes on shutdown before the rest are
	 * aborted
	 * @param recorders supplies each endpoint's recorder for metrics
	 * @param group the loops the endpoints run on
	 * @param definitions the endpoints to start
	 * @param beanFactory makes each endpoint's protocol beans
	 * @param environment where the bound ports and paths are published
	 */
	public ProtocolEndpoints(EventLoopGroup group, List<EndpointDefinition> definitions, BeanFactory beanFactory,
			ConfigurableEnvironment environment, Duration drainTimeout, TransportRecorderFactory recorders) {
		definitions.forEach((definition) -> this.statistics.put(definition.name(),
				new EndpointStatistics(recorders.recorderFor(definition))));
		this.group = group;
		this.definitions = List.copyOf(definitions);
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.drainTimeout = drainTimeout;
	}

	/**
	 * {@return the endpoints that are configured and enabled}
	 */
	public List<EndpointDefinition> definitions() {
		return this.definitions;
	}

	/**
	 * {@return the endpoints started so far}
	 */
	public List<RunningEndpoint> running() {
		return List.copyOf(this.running);
	}

	/**
	 * {@return the started endpoint with that name, or {@code null}}
	 * @param name the endpoint's name
	 */
	public RunningEndpoint get(String name) {
		return this.running.stream().filter((endpoint) -> endpoint.name().equals(name)).findFirst().orElse(null);
	}

	/**
	 * {@return the running totals of the endpoint with that name, or {@code null} if it is not configured}
	 * @param name the endpoint's name
	 */
	public EndpointStatistics statistics(String name) {
		return this.statistics.get(name);
	}

	/**
	 * {@return how often {@code guard} ended or refused a connection of the endpoint with that name since startup (0 if
	 * it is not configured)}
	 * @param name the endpoint's name
	 * @param guard which limit to count
	 */
	public long guardsTripped(String name, Guard guard) {
		EndpointStatistics statistics = this.statistics.get(name);
		return (statistics != null) ? statistics.guardsTripped(guard) : 0;
	}

	/**
	 * {@return the event-loop group the endpoints run on}
	 */
	public EventLoopGroup group() {
		return this.group;
	}

	// ---------------------------------------------------------------- starting

	@Override
	public void start() {
		try {
			for (EndpointDefinition definition : this.definitions) {
				RunningEndpoint endpoint = startEndpoint(definition);
				this.running.add(endpoint);
				publish(endpoint);
				logger.info("Protoloop " + endpoint.kind().name().toLowerCase() + " endpoint '" + endpoint.name()
						+ "' listening on " + endpoint.addresses());
			}
		}
		catch (RuntimeException ex) {
			this.running.forEach(RunningEndpoint::shutdown);
			this.running.forEach(RunningEndpoint::abort);
			this.running.clear();
			throw ex;
		}
		this.started = true;
	}

	private RunningEndpoint startEndpoint(EndpointDefinition definition) {
		EndpointStatistics recorder = this.statistics.get(definition.name());
		CompletableFuture<RunningEndpoint> starting;
		if (definition.kind() == EndpointKind.UDP) {
			starting = this.group.createDatagramEndpoint(datagramProtocol(definition),
					datagramOptions(definition, recorder))
				.thenApply((endpoint) -> new RunningEndpoint.Datagram(definition, recorder,
						endpoint.transport()));
		}
		else {
			ServerOptions options = serverOptions(definition, recorder);
			starting = bind(definition, options).thenApply((server) -> new RunningEndpoint.Stream(definition,
					recorder, server, () -> bind(definition, samePort(options, server))));
		}
		try {
			return starting.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException bindFailure) {
				throw new EndpointBindException(definition.name(), definition.kind(), definition.bindAddress(),
						bindFailure);
			}
			throw new IllegalStateException("Endpoint '" + definition.name() + "' failed to start", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting endpoint '" + definition.name() + "'", ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Endpoint '" + definition.name() + "' did not start within "
					+ START_TIMEOUT.toSeconds() + "s", ex);
		}
	}

	/** Binds a tcp or unix server. */
	private CompletableFuture<Server> bind(EndpointDefinition definition, ServerOptions options) {
		return (definition.kind() == EndpointKind.UNIX)
				? this.group.createUnixServer(streamProtocols(definition), Path.of(definition.path()), options)
				: this.group.createServer(streamProtocols(definition), options);
	}

	/** Returns {@code options} with the port {@code server} got, so serving again binds the same address. */
	private static ServerOptions samePort(ServerOptions options, Server server) {
		return (server.addresses().get(0) instanceof InetSocketAddress bound)
				? options.toBuilder().port(bound.getPort()).build() : options;
	}

	private Supplier<StreamProtocol> streamProtocols(EndpointDefinition definition) {
		return () -> (StreamProtocol) this.beanFactory.getBean(definition.beanName());
	}

	private Supplier<DatagramProtocol> datagramProtocol(EndpointDefinition definition) {
		return () -> (DatagramProtocol) this.beanFactory.getBean(definition.beanName());
	}

	private static ServerOptions serverOptions(EndpointDefinition definition, TransportRecorder recorder) {
		return ServerOptions.builder()
			.hosts((definition.host() != null) ? List.of(definition.host()) : List.of())
			.port(definition.port())
			.backlog(definition.backlog())
			.reuseAddress(definition.reuseAddress())
			.reusePort(definition.reusePort())
			.keepAlive(definition.keepAlive())
			.maxConnections(definition.maxConnections())
			.maxConnectionsPerAddress(definition.maxConnectionsPerAddress())
			.unixFileMode(definition.fileMode())
			.proxyProtocol(definition.proxyProtocol())
			.settings(definition.transportSettings().withRecorder(recorder))
			.build();
	}

	private static DatagramOptions datagramOptions(EndpointDefinition definition, TransportRecorder recorder) {
		InetSocketAddress local = (definition.host() != null)
				? InetSocketAddress.createUnresolved(definition.host(), definition.port())
				: new InetSocketAddress(definition.port());
		return DatagramOptions.builder()
			.localAddress(local)
			.reusePort(definition.reusePort())
			.receiveBufferSize(definition.receiveBufferSize())
			.settings(definition.transportSettings().withRecorder(recorder))
			.build();
	}

	@SuppressWarnings("unchecked")
	private void publish(RunningEndpoint endpoint) {
		PropertySource<?> source = this.environment.getPropertySources().get(PROPERTY_SOURCE_NAME);
		if (source == null) {
			source = new MapPropertySource(PROPERTY_SOURCE_NAME, new HashMap<>());
			this.environment.getPropertySources().addFirst(source);
		}
		Map<String, Object> properties = (Map<String, Object>) source.getSource();
		String prefix = "local.protoloop.endpoints." + endpoint.name();
		if (endpoint.kind() == EndpointKind.UNIX) {
			properties.put(prefix + ".path", endpoint.definition().path());
		}
		else {
			properties.put(prefix + ".port", ((InetSocketAddress) endpoint.addresses().get(0)).getPort());
		}
	}

	// ---------------------------------------------------------------- stopping

	@Override
	public void stop(Runnable callback) {
		if (!this.started) {
			callback.run();
			return;
		}
		this.started = false;
		List<RunningEndpoint> endpoints = new ArrayList<>(this.running);
		this.running.clear();
		CompletableFuture<?>[] closing = endpoints.stream()
			.map(RunningEndpoint::shutdown)
			.toArray(CompletableFuture[]::new);
		CompletableFuture.allOf(closing)
			.orTimeout(this.drainTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((done, timedOut) -> {
				if (timedOut != null) {
					long open = endpoints.stream().mapToLong(RunningEndpoint::connectionCount).sum();
					logger.warn("Protoloop endpoints did not drain within " + this.drainTimeout.toMillis()
							+ "ms; aborting " + open + " connection(s) still open");
					endpoints.forEach(RunningEndpoint::abort);
				}
				callback.run();
			});
	}

	@Override
	public void stop() {
		stopAndWait(this, this.drainTimeout);
	}

	/** Runs {@code lifecycle.stop(Runnable)} and waits for it a second longer than {@code timeout}. */
	static void stopAndWait(SmartLifecycle lifecycle, Duration timeout) {
		CountDownLatch stopped = new CountDownLatch(1);
		lifecycle.stop(stopped::countDown);
		try {
			stopped.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	/** Starts last and stops first, like Boot's web servers, so endpoints only serve a fully started context. */
	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Endpoints bind ports: a paused test context must not release and rebind them elsewhere. */
	@Override
	public boolean isPauseable() {
		return false;
	}

}
