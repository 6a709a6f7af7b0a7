package io.protoloop.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.StandardEnvironment;

import io.protoloop.bench.ProtoloopEchoServer.EchoProtocol;
import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.actuate.metrics.LoopMeters;
import io.protoloop.boot.actuate.metrics.MicrometerTransportRecorders;
import io.protoloop.boot.actuate.metrics.ProtoloopMetricsBinder;
import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.transport.Server;
import io.protoloop.transport.TransportSettings;

/**
 * The {@code protoloop-metrics} server: the Protoloop echo server as the Spring Boot starter runs it with the
 * actuator module. The same loop and protocol as {@link ProtoloopEchoServer}, but started the way the starter
 * starts a {@code tcp} endpoint, by a {@link ProtocolEndpoints}, so each accepted transport reports to the
 * endpoint's {@link EndpointStatistics} on every read and write; the statistics' flow recorder comes from the
 * actuator's {@link MicrometerTransportRecorders}, and every meter (the endpoint's through
 * {@link ProtoloopMetricsBinder}, the loop's through {@link LoopMeters}) is registered on a real
 * {@link PrometheusMeterRegistry}. Only the Spring application context is left out: a bean factory holds the
 * protocol as a prototype bean and an environment receives the bound port, as the context would.
 *
 * <p>Nothing scrapes the registry while the benchmark runs. On close, it scrapes it a number of times and logs
 * the time one scrape takes and the endpoint's byte, connection and flow-control meters, to show they counted.
 */
final class ProtoloopMetricsEchoServer implements EchoServer {

	private static final String ENDPOINT = "echo";

	private static final int SCRAPES = 200;

	private final EventLoopGroup group;

	private final ProtocolEndpoints endpoints;

	private final PrometheusMeterRegistry registry;

	private final Server server;

	private ProtoloopMetricsEchoServer(EventLoopGroup group, ProtocolEndpoints endpoints,
			PrometheusMeterRegistry registry) {
		this.group = group;
		this.endpoints = endpoints;
		this.registry = registry;
		this.server = ((RunningEndpoint.Stream) endpoints.get(ENDPOINT)).server();
	}

	/** Starts the server on an ephemeral port of 127.0.0.1. */
	static ProtoloopMetricsEchoServer start(int backlog) {
		EventLoopGroup group = BenchLoops.group();
		try {
			PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
			// What protoloop.endpoints.echo.* would give: tcp on 127.0.0.1, port 0, the default watermarks and
			// write cap (16 MB), no timeouts, and the ServerOptions defaults (SO_REUSEADDR on, SO_KEEPALIVE off), as
			// ProtoloopEchoServer has.
			EndpointDefinition definition = new EndpointDefinition(ENDPOINT, EndpointKind.TCP, "echoProtocol",
					"127.0.0.1", 0, null, backlog, true, false, false, 65535, 0, 0, ServerOptions.OWNER_ONLY, ProxyProtocol.OFF,
					TransportSettings.DEFAULT.withMaxWriteBufferSize(16 * 1024 * 1024), null);
			DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
			RootBeanDefinition protocol = new RootBeanDefinition(EchoProtocol.class, EchoProtocol::new);
			protocol.setScope(BeanDefinition.SCOPE_PROTOTYPE);
			beans.registerBeanDefinition(definition.beanName(), protocol);
			ProtocolEndpoints endpoints = new ProtocolEndpoints(group, List.of(definition), beans,
					new StandardEnvironment(), Duration.ofSeconds(1), new MicrometerTransportRecorders(registry));
			new ProtoloopMetricsBinder(endpoints).bindTo(registry);
			new LoopMeters(registry, group.loops());
			endpoints.start();
			return new ProtoloopMetricsEchoServer(group, endpoints, registry);
		}
		catch (RuntimeException ex) {
			group.close();
			throw ex;
		}
	}

	@Override
	public int port() {
		return ((InetSocketAddress) this.server.addresses().get(0)).getPort();
	}

	@Override
	public long loopThreadId() throws Exception {
		return this.group.loops().get(0).submit(() -> Thread.currentThread().getId()).get();
	}

	@Override
	public int openConnections() {
		return this.server.connectionCount();
	}

	@Override
	public void close() {
		logScrapes();
		this.endpoints.stop();
		this.group.close();
	}

	/** Logs the cost of a scrape and the meters that show the endpoint counted, to the server's log (stderr). */
	private void logScrapes() {
		String scrape = this.registry.scrape();
		long start = System.nanoTime();
		for (int i = 0; i < SCRAPES; i++) {
			scrape = this.registry.scrape();
		}
		long nanos = (System.nanoTime() - start) / SCRAPES;
		System.err.printf("protoloop-metrics: one scrape takes %d us (mean of %d) and returns %d bytes%n",
				TimeUnit.NANOSECONDS.toMicros(nanos), SCRAPES, scrape.length());
		scrape.lines()
			.filter((line) -> line.startsWith("protoloop_bytes") || line.startsWith("protoloop_connections")
					|| line.startsWith("protoloop_flow"))
			.forEach((line) -> System.err.println("protoloop-metrics: " + line));
	}

}
