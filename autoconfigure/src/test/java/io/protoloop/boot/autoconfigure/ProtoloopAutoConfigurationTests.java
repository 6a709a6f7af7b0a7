package io.protoloop.boot.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

import io.protoloop.boot.autoconfigure.TestProtocols.BulkProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.EchoProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.Greeting;
import io.protoloop.boot.autoconfigure.TestProtocols.NotAProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.UdpEchoProtocol;
import io.protoloop.boot.diagnostics.EndpointBindException;
import io.protoloop.boot.diagnostics.InvalidConfigurationException;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.loop.EventLoop;
import io.protoloop.loop.LoopOptions;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.transport.WriteBufferLimits;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration's beans, conditions, properties and failures, with real sockets where endpoints run. */
@Timeout(60)
class ProtoloopAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class))
		.withBean(Greeting.class, () -> new Greeting("hello"));

	@TempDir
	Path directory;

	@BeforeEach
	void forgetInstances() {
		EchoProtocol.instances.clear();
	}

	// ---------------------------------------------------------------- the event-loop group

	@Test
	void createsAGroupWithOneLoopPerProcessorByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EventLoopGroup.class).hasSingleBean(ProtocolEndpoints.class);
			assertThat(context.getBean(EventLoopGroup.class).loops())
				.hasSize(Runtime.getRuntime().availableProcessors());
		});
	}

	@Test
	void loopPropertiesConfigureTheGroup() {
		this.runner
			.withPropertyValues("protoloop.loop.threads=3", "protoloop.loop.thread-name-prefix=net",
					"protoloop.loop.debug=true", "protoloop.loop.slow-callback-duration=250ms")
			.run((context) -> {
				EventLoopGroup group = context.getBean(EventLoopGroup.class);
				assertThat(group.loops()).extracting(EventLoop::name).containsExactly("net-0", "net-1", "net-2");
				assertThat(group.loops()).allSatisfy((loop) -> {
					assertThat(loop.isDebug()).isTrue();
					assertThat(loop.getSlowCallbackDuration()).hasMillis(250);
				});
			});
	}

	@Test
	void theGroupIsClosedWithTheContext() {
		EventLoopGroup[] group = new EventLoopGroup[1];
		this.runner.run((context) -> group[0] = context.getBean(EventLoopGroup.class));
		assertThat(group[0].loops()).allSatisfy((loop) -> assertThat(loop.isClosed()).isTrue());
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnGroup() {
		this.runner.withUserConfiguration(OwnGroupConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(EventLoopGroup.class);
			assertThat(context.getBean(EventLoopGroup.class).loops()).extracting(EventLoop::name)
				.containsExactly("own-0");
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnEndpoints() {
		this.runner.withUserConfiguration(EchoProtocol.class, OwnEndpointsConfiguration.class)
			.run((context) -> assertThat(context.getBean(ProtocolEndpoints.class).definitions()).isEmpty());
	}

	@Test
	void zeroThreadsFailsNamingTheProperty() {
		this.runner.withPropertyValues("protoloop.loop.threads=0")
			.run((context) -> assertFailure(context, "protoloop.loop.threads", "at least one thread",
					"Set protoloop.loop.threads to 1 or more"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnGroupConfiguration {

		@Bean(destroyMethod = "close")
		EventLoopGroup ownGroup() {
			return new EventLoopGroup(1, LoopOptions.named("own"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpointsConfiguration {

		@Bean
		ProtocolEndpoints ownEndpoints(EventLoopGroup group, org.springframework.beans.factory.BeanFactory beanFactory,
				org.springframework.core.env.ConfigurableEnvironment environment) {
			return new ProtocolEndpoints(group, java.util.List.of(), beanFactory, environment,
					java.time.Duration.ofSeconds(1), (endpoint) -> io.protoloop.metrics.TransportRecorder.NONE);
		}

	}

	// ---------------------------------------------------------------- endpoints that run

	@Test
	void aTcpEndpointServesEachConnectionWithANewInjectedProtocolAndPublishesItsPort() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1")
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.protoloop.endpoints.echo.port",
						Integer.class);
				assertThat(port).isPositive();
				try (Client first = Client.tcp(port); Client second = Client.tcp(port)) {
					assertThat(first.readLine()).isEqualTo("hello");
					first.write("ping");
					assertThat(first.read(4)).isEqualTo("ping");
					assertThat(second.readLine()).isEqualTo("hello");
				}
				assertThat(EchoProtocol.instances).hasSize(2);
				assertThat(EchoProtocol.instances.get(0)).isNotSameAs(EchoProtocol.instances.get(1));
				assertThat(EchoProtocol.instances.get(0).limits).isEqualTo(WriteBufferLimits.DEFAULT);
			});
	}

	@Test
	void writeBufferPropertiesSetEachConnectionsWatermarks() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
					"protoloop.endpoints.echo.write-buffer.high=1MB", "protoloop.endpoints.echo.write-buffer.low=1KB")
			.run((context) -> {
				try (Client client = Client.tcp(port(context, "echo"))) {
					assertThat(client.readLine()).isEqualTo("hello");
				}
				assertThat(EchoProtocol.instances.get(0).limits).isEqualTo(new WriteBufferLimits(1 << 20, 1024));
			});
	}

	@Test
	void aUnixEndpointServesAtItsPathAndRemovesTheFileOnShutdown() {
		Path socket = this.directory.resolve("echo.sock");
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.path=" + socket)
			.run((context) -> {
				assertThat(context.getEnvironment().getProperty("local.protoloop.endpoints.echo.path"))
					.isEqualTo(socket.toString());
				try (Client client = Client.unix(socket)) {
					assertThat(client.readLine()).isEqualTo("hello");
				}
			});
		assertThat(socket).doesNotExist();
	}

	@Test
	void aUdpEndpointIsInferredFromTheDatagramProtocol() {
		this.runner.withUserConfiguration(UdpEchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.host=127.0.0.1")
			.run((context) -> {
				assertThat(context.getBean(ProtocolEndpoints.class).get("echo-udp").kind())
					.isEqualTo(io.protoloop.boot.EndpointKind.UDP);
				try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
					socket.setSoTimeout(10_000);
					byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
					socket.send(new DatagramPacket(ping, ping.length,
							new InetSocketAddress("127.0.0.1", port(context, "echo-udp"))));
					DatagramPacket answer = new DatagramPacket(new byte[100], 100);
					socket.receive(answer);
					assertThat(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8))
						.isEqualTo("ping");
				}
			});
	}

	@Test
	void aDisabledEndpointIsNotStarted() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ProtocolEndpoints.class).running()).isEmpty();
				assertThat(context.getEnvironment().getProperty("local.protoloop.endpoints.echo.port")).isNull();
			});
	}

	@Test
	void applicationCodeCanOpenConnectionsWithAProtocolBean() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1")
			.run((context) -> {
				EventLoopGroup group = context.getBean(EventLoopGroup.class);
				var connection = group.createConnection(() -> context.getBean(EchoProtocol.class), "127.0.0.1",
						port(context, "echo"), io.protoloop.tcp.ConnectionOptions.DEFAULT).get(10, TimeUnit.SECONDS);
				assertThat(connection.protocol().transport).isSameAs(connection.transport());
				// Both ends are EchoProtocol beans; the server's may be made a moment after the client's.
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
				while (EchoProtocol.instances.size() < 2) {
					assertThat(System.nanoTime()).as("the server side's protocol").isLessThan(deadline);
					Thread.onSpinWait();
				}
				assertThat(EchoProtocol.instances).hasSize(2);
				connection.transport().getLoop().submit(() -> {
					connection.transport().close();
					return null;
				}).get(10, TimeUnit.SECONDS);
			});
	}

	// ---------------------------------------------------------------- graceful shutdown

	@Test
	void shutdownDeliversEveryByteWrittenBeforeItToAPeerThatReadsLate() throws Exception {
		int size = 8 * 1024 * 1024;
		BulkProtocol.shutdownStarted = new java.util.concurrent.CountDownLatch(1);
		CompletableFuture<byte[]> received = new CompletableFuture<>();
		this.runner.withUserConfiguration(BulkProtocol.class)
			.withPropertyValues("protoloop.endpoints.bulk.port=0", "protoloop.endpoints.bulk.host=127.0.0.1",
					"spring.lifecycle.timeout-per-shutdown-phase=20s")
			.run((context) -> {
				Client client = Client.tcp(port(context, "bulk"));
				client.write("big " + size + "\n");
				// The first byte proves the payload was written; most of it now waits in the server's buffer.
				byte[] first = client.read(1).getBytes(StandardCharsets.UTF_8);
				Thread reader = new Thread(() -> {
					try (client) {
						assertThat(BulkProtocol.shutdownStarted.await(20, TimeUnit.SECONDS)).isTrue();
						byte[] rest = client.readToEnd();
						received.complete(ByteBuffer.allocate(1 + rest.length).put(first).put(rest).array());
					}
					catch (Throwable ex) {
						received.completeExceptionally(ex);
					}
				});
				reader.start();
			});
		byte[] bytes = received.get(30, TimeUnit.SECONDS);
		assertThat(bytes).hasSize(size + "BYE\n".length());
		assertThat(new String(bytes, size, 4, StandardCharsets.UTF_8)).isEqualTo("BYE\n");
		for (int i = 0; i < size; i += 4099) {
			assertThat(bytes[i]).isEqualTo((byte) ('a' + i % 26));
		}
	}

	@Test
	void connectionsStillOpenWhenTheShutdownPhaseRunsOutAreAborted() throws Exception {
		Client[] client = new Client[1];
		long start = System.nanoTime();
		this.runner.withUserConfiguration(BulkProtocol.class)
			.withPropertyValues("protoloop.endpoints.bulk.port=0", "protoloop.endpoints.bulk.host=127.0.0.1",
					// No write cap: the connection must still be open, 32 MB buffered, when shutdown begins.
					"protoloop.endpoints.bulk.write-buffer.max=-1", "spring.lifecycle.timeout-per-shutdown-phase=1s")
			.run((context) -> {
				client[0] = Client.tcp(port(context, "bulk"));
				client[0].write("big " + (32 * 1024 * 1024) + "\n");
				client[0].read(1);
			});
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		try (Client reader = client[0]) {
			assertThat(reader.readToEnd().length).isLessThan(32 * 1024 * 1024);
		}
		catch (IOException reset) {
			// An abort may show as a reset: either way the rest of the payload never arrives.
		}
		assertThat(elapsedMillis).as("shutdown waited for a reader that never reads").isLessThan(20_000);
	}

	// ---------------------------------------------------------------- failures

	@Test
	void anEndpointEntryWithoutABeanFails() {
		this.runner.withPropertyValues("protoloop.endpoints.ghost.port=0")
			.run((context) -> assertFailure(context, "protoloop.endpoints.ghost",
					"no bean is annotated @ProtocolEndpoint(\"ghost\")", "Annotate the protocol class"));
	}

	@Test
	void aBeanWithoutConfigurationFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo", "is not configured",
					"protoloop.endpoints.echo.port=0"));
	}

	@Test
	void aTcpEndpointWithoutAPortFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.host=127.0.0.1")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.port", "has no port",
					"0 picks a free port"));
	}

	@Test
	void aPortOutOfRangeFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=70000")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.port", "outside 0-65535",
					"between 0 and 65535"));
	}

	@Test
	void aUnixEndpointWithoutAPathFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.kind=unix")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.path", "without a socket path",
					"Set protoloop.endpoints.echo.path"));
	}

	@Test
	void udpForAStreamProtocolFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.kind=udp", "protoloop.endpoints.echo.port=0")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.kind", "is not a DatagramProtocol",
					"implement DatagramProtocol"));
	}

	@Test
	void tcpForADatagramProtocolFails() {
		this.runner.withUserConfiguration(UdpEchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo-udp.kind=tcp", "protoloop.endpoints.echo-udp.port=0")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo-udp.kind", "is a DatagramProtocol",
					"=udp"));
	}

	@Test
	void aLowWatermarkAboveTheHighOneFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.write-buffer.high=1KB",
					"protoloop.endpoints.echo.write-buffer.low=2KB")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.write-buffer.low",
					"more than write-buffer.high", "between 0B and"));
	}

	@Test
	void aReceiveBufferLargerThanAnyDatagramFails() {
		this.runner.withUserConfiguration(UdpEchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.receive-buffer=1MB")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo-udp.receive-buffer",
					"has receive-buffer", "65535B"));
	}

	@Test
	void twoBeansClaimingOneEndpointFail() {
		this.runner.withUserConfiguration(EchoProtocol.class, SecondEchoConfiguration.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo", "are both annotated",
					"its own endpoint name"));
	}

	@Configuration(proxyBeanMethods = false)
	static class SecondEchoConfiguration {

		@Bean
		@org.springframework.context.annotation.Scope("prototype")
		EchoProtocol secondEcho(Greeting greeting) {
			return new EchoProtocol(greeting);
		}

	}

	@Test
	void anAnnotatedClassThatIsNoProtocolFails() {
		this.runner.withUserConfiguration(NotAProtocol.class)
			.withPropertyValues("protoloop.endpoints.nothing.port=0")
			.run((context) -> assertFailure(context, "protoloop.endpoints.nothing.kind",
					"neither a stream protocol nor a DatagramProtocol", "implement Protocol"));
	}

	@Test
	void aPortInUseFailsNamingTheEndpointAndTheAddress() throws IOException {
		try (ServerSocket taken = new ServerSocket()) {
			taken.setReuseAddress(false);
			taken.bind(new InetSocketAddress("127.0.0.1", 0));
			this.runner.withUserConfiguration(EchoProtocol.class)
				.withPropertyValues("protoloop.endpoints.echo.host=127.0.0.1",
						"protoloop.endpoints.echo.port=" + taken.getLocalPort(),
						"protoloop.endpoints.echo.reuse-address=false")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause().isInstanceOf(java.net.BindException.class);
					FailureAnalysis analysis = analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("Endpoint 'echo' could not bind 127.0.0.1:"
							+ taken.getLocalPort());
					assertThat(analysis.getAction()).contains("protoloop.endpoints.echo.port");
					assertThat(findCause(context.getStartupFailure(), EndpointBindException.class)).isNotNull();
				});
		}
	}

	static void assertFailure(AssertableApplicationContext context, String property, String problem,
			String action) {
		assertThat(context).hasFailed();
		InvalidConfigurationException failure = findCause(context.getStartupFailure(),
				InvalidConfigurationException.class);
		assertThat(failure).as("an InvalidConfigurationException in %s", context.getStartupFailure()).isNotNull();
		assertThat(failure.getProperty()).isEqualTo(property);
		FailureAnalysis analysis = analyze(context.getStartupFailure());
		assertThat(analysis.getDescription()).contains(problem).contains("Property: " + property);
		assertThat(analysis.getAction()).contains(action);
	}

	static FailureAnalysis analyze(Throwable failure) {
		SpringFactoriesLoader.ArgumentResolver arguments = SpringFactoriesLoader.ArgumentResolver
			.of(org.springframework.beans.factory.BeanFactory.class,
					new org.springframework.beans.factory.support.DefaultListableBeanFactory())
			.and(org.springframework.core.env.Environment.class, new org.springframework.core.env.StandardEnvironment());
		// Boot's own analyzers need classes this module does not have: skip those that cannot be created.
		SpringFactoriesLoader.FailureHandler skip = SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
		});
		for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, arguments, skip)) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null && analyzer.getClass().getPackageName().startsWith("io.protoloop")) {
				return analysis;
			}
		}
		throw new AssertionError("No Protoloop failure analyzer explained " + failure);
	}

	static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	static int port(AssertableApplicationContext context, String endpoint) {
		return context.getEnvironment().getRequiredProperty("local.protoloop.endpoints." + endpoint + ".port",
				Integer.class);
	}

	/**
	 * A blocking client over a socket channel (TCP or Unix). Its reads are interruptible, so the class's
	 * {@code @Timeout} bounds every one of them.
	 */
	static final class Client implements AutoCloseable {

		private final SocketChannel channel;

		private final InputStream in;

		Client(SocketChannel channel) {
			this.channel = channel;
			this.in = Channels.newInputStream(channel);
		}

		static Client tcp(int port) throws IOException {
			return new Client(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
		}

		static Client unix(Path path) throws IOException {
			return new Client(SocketChannel.open(UnixDomainSocketAddress.of(path)));
		}

		void write(String text) throws IOException {
			ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
			while (bytes.hasRemaining()) {
				this.channel.write(bytes);
			}
		}

		String readLine() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			int b;
			while ((b = this.in.read()) != -1 && b != '\n') {
				line.write(b);
			}
			return line.toString(StandardCharsets.UTF_8);
		}

		String read(int count) throws IOException {
			return new String(this.in.readNBytes(count), StandardCharsets.UTF_8);
		}

		byte[] readToEnd() throws IOException {
			return this.in.readAllBytes();
		}

		InputStream in() {
			return this.in;
		}

		@Override
		public void close() throws IOException {
			this.channel.close();
		}

	}

}
