package io.protoloop.boot.actuate;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.actuate.autoconfigure.ProtoloopEndpointAutoConfiguration;
import io.protoloop.boot.actuate.autoconfigure.ProtoloopHealthContributorAutoConfiguration;
import io.protoloop.boot.actuate.autoconfigure.ProtoloopMetricsAutoConfiguration;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint.ConnectionDescriptor;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint.EndpointDetail;
import io.protoloop.boot.actuate.health.ProtoloopHealthIndicator;
import io.protoloop.boot.actuate.metrics.LoopMeters;
import io.protoloop.boot.actuate.metrics.ProtoloopMeters;
import io.protoloop.boot.actuate.metrics.ProtoloopMetricsBinder;
import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.endpoint.TransportRecorderFactory;
import io.protoloop.loop.EventLoop;
import io.protoloop.nio.EventLoopGroup;

import static org.assertj.core.api.Assertions.assertThat;

/** Meters, the actuator endpoint and the health indicator, against real sockets. */
@Timeout(60)
class ProtoloopActuatorTests {

	private final ApplicationContextRunner runner = runner();

	/**
	 * Returns a runner with every Protoloop auto-configuration, a Prometheus registry, and two endpoints on free
	 * ports of 127.0.0.1: {@code echo} (tcp) and {@code echo-udp}, on two loops.
	 */
	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class,
					MetricsAutoConfiguration.class, ProtoloopMetricsAutoConfiguration.class,
					ProtoloopEndpointAutoConfiguration.class, ProtoloopHealthContributorAutoConfiguration.class))
			.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.withUserConfiguration(TestEndpoints.EchoProtocol.class, TestEndpoints.UdpEchoProtocol.class)
			.withPropertyValues("protoloop.loop.threads=2", "protoloop.endpoints.echo.port=0",
					"protoloop.endpoints.echo.host=127.0.0.1", "protoloop.endpoints.echo-udp.port=0",
					"protoloop.endpoints.echo-udp.host=127.0.0.1", "management.endpoints.web.exposure.include=*",
					"management.endpoints.jmx.exposure.include=*");
	}

	// ---------------------------------------------------------------- conditions

	@Test
	void everyFeatureIsConfiguredWhenItsLibraryIsPresent() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ProtoloopMetricsBinder.class)
				.hasSingleBean(TransportRecorderFactory.class)
				.hasSingleBean(LoopMeters.class)
				.hasSingleBean(ProtoloopActuatorEndpoint.class)
				.hasBean("protoloopHealthIndicator");
		});
	}

	@Test
	void metricsBackOffWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ProtoloopMetricsBinder.class));
	}

	@Test
	void theHealthIndicatorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.protoloop.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("protoloopHealthIndicator"));
	}

	@Test
	void theEndpointIsAbsentUnlessExposed() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class,
					ProtoloopEndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ProtoloopActuatorEndpoint.class));
	}

	// ---------------------------------------------------------------- meters over real sockets

	@Test
	void aSlowReaderPausesWritingOnceFillsTheBufferGaugesAndResumesOnceDrained() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			int size = 8 * 1024 * 1024;
			try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port(context, "echo")))) {
				client.write(ByteBuffer.wrap(("big " + size).getBytes(StandardCharsets.UTF_8)));
				awaitTrue(() -> flow(registry, "write", "pause") == 1);

				assertThat(flow(registry, "write", "resume")).isZero();
				assertThat(gauge(registry, ProtoloopMeters.WRITE_BUFFER_BUFFERED)).isGreaterThan(65536);
				assertThat(gauge(registry, ProtoloopMeters.WRITE_BUFFER_LARGEST))
					.isEqualTo(gauge(registry, ProtoloopMeters.WRITE_BUFFER_BUFFERED));
				assertThat(registry.get(ProtoloopMeters.WRITE_BUFFER_AT_PAUSE.meterName()).tag("endpoint", "echo").summary().count())
					.isEqualTo(1);

				InputStream in = Channels.newInputStream(client);
				assertThat(in.readNBytes(size)).hasSize(size);
				awaitTrue(() -> flow(registry, "write", "resume") == 1);
				awaitTrue(() -> gauge(registry, ProtoloopMeters.WRITE_BUFFER_BUFFERED) == 0);
				assertThat(flow(registry, "write", "pause")).isEqualTo(1);
				assertThat(registry.get(ProtoloopMeters.FLOW_PAUSED.meterName()).tags("endpoint", "echo", "direction", "write").timer()
					.count()).isEqualTo(1);
			}
		});
	}

	@Test
	void connectionsAndBytesAreCountedPerEndpoint() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port(context, "echo")))) {
				client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
				assertThat(Channels.newInputStream(client).readNBytes(5)).hasSize(5);
				assertThat(counter(registry, ProtoloopMeters.CONNECTIONS_OPENED, "echo")).isEqualTo(1);
				assertThat(gauge(registry, ProtoloopMeters.CONNECTIONS_ACTIVE)).isEqualTo(1);
				// The echo can reach the client before the loop counts the write that sent it.
				awaitTrue(() -> registry.get("protoloop.bytes").tags("endpoint", "echo", "direction", "write")
					.functionCounter().count() == 5);
				assertThat(registry.get("protoloop.bytes").tags("endpoint", "echo", "direction", "read")
					.functionCounter().count()).isEqualTo(5);
			}
			awaitTrue(() -> registry.get("protoloop.connections.closed").tags("endpoint", "echo", "outcome", "clean")
				.functionCounter().count() == 1);
			assertThat(gauge(registry, ProtoloopMeters.CONNECTIONS_ACTIVE)).isZero();
		});
	}

	@Test
	void datagramsAreCountedForUdpEndpoints() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
				socket.setSoTimeout(20_000);
				socket.send(new DatagramPacket(new byte[10], 10, InetAddress.getLoopbackAddress(),
						port(context, "echo-udp")));
				socket.receive(new DatagramPacket(new byte[10], 10));
			}
			awaitTrue(() -> registry.get("protoloop.datagrams").tags("endpoint", "echo-udp", "direction", "write")
				.functionCounter().count() == 1);
			assertThat(registry.get("protoloop.datagrams").tags("endpoint", "echo-udp", "direction", "read")
				.functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("protoloop.bytes").tags("endpoint", "echo-udp", "direction", "read")
				.functionCounter().count()).isEqualTo(10);
		});
	}

	@Test
	void theLoopMetersAreInstalledOnceOnTheCompositeRegistrySoEveryRegistrySeesThem() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, ProtoloopMetricsAutoConfiguration.class))
			.withBean("first", SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("second", SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("protoloop.loop.threads=1")
			.run((context) -> {
				assertThat(context).hasSingleBean(LoopMeters.class);
				assertThat(context.getBean(MeterRegistry.class)).isInstanceOf(CompositeMeterRegistry.class);
				// Binding Protoloop's binders to another registry, as Boot does for each registry when there is no
				// composite, must not take the loop's one recorder away from the application's registry.
				MeterRegistry other = new SimpleMeterRegistry();
				context.getBeansOfType(MeterBinder.class).values().forEach((binder) -> binder.bindTo(other));

				runOneTimer(context.getBean(EventLoopGroup.class).loops().get(0));

				for (String name : new String[] { "first", "second" }) {
					assertThat(context.getBean(name, MeterRegistry.class).get(ProtoloopMeters.LOOP_LAG.meterName())
						.tag("loop", "protoloop-0").timer().count()).as(name).isEqualTo(1);
				}
				assertThat(other.find(ProtoloopMeters.LOOP_LAG.meterName()).meters()).isEmpty();
			});
	}

	@Test
	void everyDocumentedMeterIsInThePrometheusScrapeWithItsBaseUnit() {
		// With echo over TLS, for the TLS meters; echo-udp stays plain.
		TlsActuatorTests.withTlsEcho(this.runner).run((context) -> {
			runOneTimer(context.getBean(EventLoopGroup.class).loops().get(0));
			String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
			for (ProtoloopMeters meter : ProtoloopMeters.values()) {
				assertThat(scrape).as(meter.meterName()).contains(MeterDocumentationTests.prometheusName(meter) + "{");
			}
			assertThat(scrape).contains("protoloop_connections_opened_total{endpoint=\"echo\",kind=\"tcp\"}")
				.contains("protoloop_bytes_total{direction=\"read\",endpoint=\"echo-udp\",kind=\"udp\"}")
				.contains("protoloop_flow_events_total{direction=\"write\",endpoint=\"echo\",event=\"pause\",kind=\"tcp\"}")
				.contains("protoloop_loop_lag_seconds_count{loop=\"protoloop-0\"}")
				.doesNotContain("peer").doesNotContain("connection=\"");
		});
	}

	// ---------------------------------------------------------------- the actuator endpoint and health

	@Test
	void theEndpointNamesTheTransportTheLoopsDoIoWith() {
		this.runner.withPropertyValues("protoloop.loop.transport=nio").run((context) -> {
			assertThat(context.getBean(ProtoloopActuatorEndpoint.class).protoloop().transport()).isEqualTo("nio");
		});
		this.runner.run((context) -> {
			String inUse = context.getBean(EventLoopGroup.class).transport().name().toLowerCase(Locale.ROOT);
			assertThat(context.getBean(ProtoloopActuatorEndpoint.class).protoloop().transport()).isEqualTo(inUse)
				.isIn("nio", "epoll");
		});
	}

	@Test
	void theEndpointDescribesLoopsEndpointsAndLiveConnectionsAndClosesOne() {
		this.runner.run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port(context, "echo")))) {
				client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
				InputStream in = Channels.newInputStream(client);
				assertThat(in.readNBytes(5)).hasSize(5);

				awaitTrue(() -> endpoint.protoloop().endpoints().get(0).totals().bytesSent() == 5);
				var all = endpoint.protoloop();
				assertThat(all.loops()).extracting((loop) -> loop.name()).containsExactly("protoloop-0", "protoloop-1");
				assertThat(all.endpoints()).extracting((e) -> e.name()).containsExactly("echo", "echo-udp");
				var echo = all.endpoints().get(0);
				assertThat(echo.kind()).isEqualTo("tcp");
				assertThat(echo.serving()).isTrue();
				assertThat(echo.connections()).isEqualTo(1);
				assertThat(echo.totals().bytesReceived()).isEqualTo(5);
				assertThat(echo.addresses()).singleElement().asString().contains("127.0.0.1");

				EndpointDetail detail = endpoint.endpoint("echo", null, null);
				ConnectionDescriptor connection = detail.connections().get(0);
				assertThat(connection.peer()).isEqualTo(client.getLocalAddress().toString());
				assertThat(connection.bytesReceived()).isEqualTo(5);
				assertThat(connection.bytesSent()).isEqualTo(5);
				assertThat(connection.writeBufferHigh()).isEqualTo(65536);
				assertThat(connection.writingPaused()).isFalse();
				assertThat(connection.protocol()).isEqualTo(TestEndpoints.EchoProtocol.class.getName());
				assertThat(endpoint.endpoint("no-such-endpoint", null, null)).isNull();

				assertThat(endpoint.closeConnection("echo", connection.id())).isNotNull();
				assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
			}
		});
	}

	@Test
	void healthIsDownWhileAnEndpointDoesNotServeAndUpAgainAfterwards() {
		this.runner.run((context) -> {
			ProtoloopHealthIndicator health = context.getBean(ProtoloopHealthIndicator.class);
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);

			endpoint.serving("echo", false);
			awaitTrue(() -> health.health().getStatus().equals(Status.DOWN));
			Health down = health.health();
			assertThat(down.getDetails()).extractingByKey("endpoints").asString().contains("echo={kind=tcp, serving=false");

			endpoint.serving("echo", true);
			awaitTrue(() -> health.health().getStatus().equals(Status.UP));
		});
	}

	@Test
	void healthIsDownWhileACallbackBlocksALoopPastTheStallThreshold() {
		this.runner.withPropertyValues("protoloop.health.loop-stall-threshold=50ms").run((context) -> {
			ProtoloopHealthIndicator health = context.getBean(ProtoloopHealthIndicator.class);
			EventLoopGroup group = context.getBean(EventLoopGroup.class);
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			group.loops().get(1).execute(() -> {
				entered.countDown();
				try {
					release.await(20, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			try {
				awaitTrue(() -> health.health().getStatus().equals(Status.DOWN));
				assertThat(health.health().getDetails()).extractingByKey("loops").asString()
					.contains("protoloop-1={running=true, stalled=true");
			}
			finally {
				release.countDown();
			}
			awaitTrue(() -> health.health().getStatus().equals(Status.UP));
		});
	}

	// ---------------------------------------------------------------- helpers

	static int port(AssertableApplicationContext context, String endpoint) {
		return context.getEnvironment().getRequiredProperty("local.protoloop.endpoints." + endpoint + ".port",
				Integer.class);
	}

	/** Schedules a timer on {@code loop} and waits for it to run: the loop records one lag. */
	private static void runOneTimer(EventLoop loop) throws InterruptedException {
		CountDownLatch fired = new CountDownLatch(1);
		loop.execute(() -> loop.callLater(Duration.ZERO, fired::countDown));
		assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
	}

	private static double flow(MeterRegistry registry, String direction, String event) {
		return registry.get(ProtoloopMeters.FLOW_EVENTS.meterName())
			.tags("endpoint", "echo", "direction", direction, "event", event)
			.functionCounter()
			.count();
	}

	private static double gauge(MeterRegistry registry, ProtoloopMeters meter) {
		return registry.get(meter.meterName()).tag("endpoint", "echo").gauge().value();
	}

	private static double counter(MeterRegistry registry, ProtoloopMeters meter, String endpoint) {
		return registry.get(meter.meterName()).tag("endpoint", endpoint).functionCounter().count();
	}

	/** Polls {@code condition} until it holds, for at most 20 seconds. */
	static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 20s").isLessThan(deadline);
			Thread.sleep(5);
		}
	}

}
