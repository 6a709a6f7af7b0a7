package io.protoloop.boot.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.Client;
import io.protoloop.boot.autoconfigure.TestProtocols.BulkProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.EchoProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.Greeting;
import io.protoloop.boot.autoconfigure.TestProtocols.UdpEchoProtocol;
import io.protoloop.boot.diagnostics.EndpointBindException;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.metrics.Guard;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.TransportView;

import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.analyze;
import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.assertFailure;
import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.findCause;
import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.port;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production guards of Spring endpoints, over real sockets: the write cap on by default, timeouts, connection
 * limits, the lingering close on shutdown, Unix socket files, the backlog, and the failures of bad settings.
 */
@Timeout(60)
class EndpointGuardsTests {

	private static final int MB = 1024 * 1024;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class))
		.withBean(Greeting.class, () -> new Greeting("hello"));

	@TempDir
	Path directory;

	// ---------------------------------------------------------------- the write cap

	@Test
	void aProtocolThatWritesPastTheDefaultCapToAPeerThatDoesNotReadLosesItsConnection() {
		this.runner.withUserConfiguration(BulkProtocol.class)
			.withPropertyValues("protoloop.endpoints.bulk.port=0", "protoloop.endpoints.bulk.host=127.0.0.1")
			.run((context) -> {
				try (Client client = Client.tcp(port(context, "bulk"))) {
					client.write("big " + (32 * MB) + "\n");
					assertThat(bytesUntilTheEnd(client)).isLessThan(32 * MB);
				}
				assertThat(guards(context, Guard.WRITE_BUFFER_MAX)).isEqualTo(1);
			});
	}

	@Test
	void theWriteCapIs16MegabytesForEveryKindOfEndpointUnlessSet() {
		this.runner.withUserConfiguration(EchoProtocol.class, UdpEchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
					"protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.host=127.0.0.1",
					"protoloop.endpoints.echo-udp.write-buffer.max=1MB")
			.run((context) -> {
				assertThat(settings(context, "echo").maxWriteBufferSize()).isEqualTo(16 * MB);
				assertThat(settings(context, "echo-udp").maxWriteBufferSize()).isEqualTo(MB);
			});
	}

	// ---------------------------------------------------------------- timeouts

	@Test
	void aConnectionThatNeitherReadsNorWritesIsClosedAfterTheIdleTimeout() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
					"protoloop.endpoints.echo.idle-timeout=200ms")
			.run((context) -> {
				try (Client client = Client.tcp(port(context, "echo"))) {
					assertThat(client.readLine()).isEqualTo("hello");
					assertThat(bytesUntilTheEnd(client)).isZero();
				}
				assertThat(guards(context, Guard.IDLE_TIMEOUT)).isEqualTo(1);
				assertThat(settings(context, "echo").idleTimeout()).hasMillis(200);
				assertThat(settings(context, "echo").readTimeout()).isZero();
			});
	}

	@Test
	void aConnectionThatSendsNothingIsClosedAfterTheReadTimeout() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
					"protoloop.endpoints.echo.read-timeout=200ms")
			.run((context) -> {
				try (Client client = Client.tcp(port(context, "echo"))) {
					assertThat(client.readLine()).isEqualTo("hello");
					assertThat(bytesUntilTheEnd(client)).isZero();
				}
				assertThat(guards(context, Guard.READ_TIMEOUT)).isEqualTo(1);
			});
	}

	// ---------------------------------------------------------------- connection limits

	@Test
	void aConnectionOverMaxConnectionsIsClosedAtOnceAndCountedWhileTheOthersAreServed() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
					"protoloop.endpoints.echo.max-connections=1")
			.run((context) -> {
				try (Client first = Client.tcp(port(context, "echo"))) {
					assertThat(first.readLine()).isEqualTo("hello");
					try (Client refused = Client.tcp(port(context, "echo"))) {
						assertThat(bytesUntilTheEnd(refused)).as("no greeting: no protocol was made").isZero();
					}
					first.write("still served");
					assertThat(first.read(12)).isEqualTo("still served");
				}
				// Core closes a refused connection, then counts it: the client can see the end first.
				awaitTrue(() -> guards(context, Guard.MAX_CONNECTIONS) == 1);
				awaitTrue(() -> endpoints(context).get("echo").connectionCount() == 0);
				try (Client next = Client.tcp(port(context, "echo"))) {
					assertThat(next.readLine()).as("a place was free again").isEqualTo("hello");
				}
			});
	}

	@Test
	void aClientAddressOverItsLimitIsRefusedWhileOtherAddressesAreServed() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
					"protoloop.endpoints.echo.max-connections-per-address=1")
			.run((context) -> {
				int port = port(context, "echo");
				try (Client first = Client.tcp(port); Client sameAddress = Client.tcp(port);
						Client otherAddress = new Client(connectFrom("127.0.0.2", port))) {
					assertThat(first.readLine()).isEqualTo("hello");
					assertThat(bytesUntilTheEnd(sameAddress)).isZero();
					assertThat(otherAddress.readLine()).isEqualTo("hello");
				}
				awaitTrue(() -> guards(context, Guard.MAX_CONNECTIONS_PER_ADDRESS) == 1);
			});
	}

	// ---------------------------------------------------------------- lingering close

	@Test
	void shutdownDeliversEveryByteToAPeerThatSendsMoreAfterTheServerStoppedReading() throws Exception {
		int size = 8 * MB;
		BulkProtocol.shutdownStarted = new CountDownLatch(1);
		CompletableFuture<Integer> received = new CompletableFuture<>();
		this.runner.withUserConfiguration(BulkProtocol.class)
			.withPropertyValues("protoloop.endpoints.bulk.port=0", "protoloop.endpoints.bulk.host=127.0.0.1",
					"spring.lifecycle.timeout-per-shutdown-phase=20s")
			.run((context) -> {
				assertThat(settings(context, "bulk").lingerTimeout()).hasSeconds(10);
				Client client = Client.tcp(port(context, "bulk"));
				client.write("big " + size + "\n");
				client.read(1);
				Thread peer = new Thread(() -> {
					try (client) {
						assertThat(BulkProtocol.shutdownStarted.await(20, TimeUnit.SECONDS)).isTrue();
						// Input the closing server never reads: closed at once, the kernel would reset the
						// connection and drop what the peer has not received yet.
						client.write("x".repeat(64 * 1024));
						received.complete(client.readToEnd().length);
					}
					catch (Throwable ex) {
						received.completeExceptionally(ex);
					}
				});
				peer.start();
			});
		assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(size - 1 + "BYE\n".length());
	}

	// ---------------------------------------------------------------- unix sockets

	@Test
	void aUnixSocketFileIsOwnerOnlyUnlessFileModeSaysOtherwise() {
		Path owner = this.directory.resolve("owner.sock");
		Path shared = this.directory.resolve("shared.sock");
		this.runner.withUserConfiguration(EchoProtocol.class, BulkProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.path=" + owner, "protoloop.endpoints.bulk.path=" + shared,
					"protoloop.endpoints.bulk.file-mode=rw-rw----")
			.run((context) -> {
				assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(owner))).isEqualTo("rw-------");
				assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-rw----");
				try (Client client = Client.unix(owner)) {
					assertThat(client.readLine()).isEqualTo("hello");
				}
			});
	}

	@Test
	@SuppressWarnings("try") // the resource is held open for the test, not used
	void aUnixSocketThatALiveProcessServesIsNotTakenOverAndStartupNamesThePathAndTheFix() throws IOException {
		Path path = this.directory.resolve("taken.sock");
		try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			live.bind(UnixDomainSocketAddress.of(path));
			this.runner.withUserConfiguration(EchoProtocol.class)
				.withPropertyValues("protoloop.endpoints.echo.path=" + path)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(findCause(context.getStartupFailure(), EndpointBindException.class)).isNotNull();
					FailureAnalysis analysis = analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("Endpoint 'echo' could not bind " + path)
						.contains("Address already in use");
					assertThat(analysis.getAction()).contains("accepts connections on " + path)
						.contains("protoloop.endpoints.echo.path");
				});
			try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
				assertThat(live.accept()).as("the live server still has its socket").isNotNull();
			}
		}
	}

	// ---------------------------------------------------------------- PROXY protocol

	@Test
	void aRequiredProxyHeaderNamesTheClientAndAConnectionWithoutOneIsClosedAndCounted() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
					"protoloop.endpoints.echo.proxy-protocol=required")
			.run((context) -> {
				try (Client proxied = Client.tcp(port(context, "echo"))) {
					proxied.write("PROXY TCP4 203.0.113.7 198.51.100.1 4242 7007\r\n");
					assertThat(proxied.readLine()).as("the greeting comes after the header").isEqualTo("hello");
					TransportView view = endpoints(context).get("echo").connections().get(0);
					assertThat(view.getLoop().submit(view::snapshot).get(10, TimeUnit.SECONDS).peer())
						.isEqualTo(new InetSocketAddress("203.0.113.7", 4242));
				}
				try (Client direct = Client.tcp(port(context, "echo"))) {
					direct.write("hello without a header\n");
					assertThat(bytesUntilTheEnd(direct)).isZero();
				}
				assertThat(guards(context, Guard.PROXY_HEADER)).isEqualTo(1);
			});
	}

	@Test
	void aProxyHeaderOnAUdpEndpointFails() {
		this.runner.withUserConfiguration(UdpEchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo-udp.port=0",
					"protoloop.endpoints.echo-udp.proxy-protocol=optional")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo-udp.proxy-protocol",
					"PROXY protocol headers start stream connections", "Remove protoloop.endpoints.echo-udp.proxy-protocol"));
	}

	// ---------------------------------------------------------------- backlog

	@Test
	void theListenBacklogFollowsTheOperatingSystemsLimitUnlessSet() throws Exception {
		Path somaxconn = Path.of("/proc/sys/net/core/somaxconn");
		Assumptions.assumeTrue(Files.isReadable(somaxconn) && ssAvailable(),
				"Linux with ss");
		// procfs files report a size of 0: read them by line (Files.readString returns only the first byte here).
		int limit = Integer.parseInt(Files.readAllLines(somaxconn).get(0).trim());
		assertThat(EndpointDefinitionResolver.systemBacklog(somaxconn)).isEqualTo(limit);
		this.runner.withUserConfiguration(EchoProtocol.class, BulkProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
					"protoloop.endpoints.bulk.port=0", "protoloop.endpoints.bulk.host=127.0.0.1",
					"protoloop.endpoints.bulk.backlog=42")
			.run((context) -> {
				assertThat(listenBacklog(port(context, "echo"))).isEqualTo(limit);
				assertThat(listenBacklog(port(context, "bulk"))).isEqualTo(42);
			});
	}

	@Test
	void theSystemBacklogIsReadWhole() throws IOException {
		Path file = this.directory.resolve("somaxconn");
		Files.writeString(file, "4096\n");
		assertThat(EndpointDefinitionResolver.systemBacklog(file)).isEqualTo(4096);
	}

	@Test
	void theSystemBacklogIs128WhereTheSystemDoesNotSay() {
		assertThat(EndpointDefinitionResolver.systemBacklog(this.directory.resolve("no-somaxconn"))).isEqualTo(128);
	}

	// ---------------------------------------------------------------- invalid settings

	@Test
	void aWriteCapBelowTheHighWatermarkFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.write-buffer.max=32KB")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.write-buffer.max",
					"below write-buffer.high 65536B", "or -1 for no cap"));
	}

	@Test
	void aNegativeIdleTimeoutFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.idle-timeout=-1s")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.idle-timeout", "negative timeout",
					"or 0 for none"));
	}

	@Test
	void aReadTimeoutOnAUdpEndpointFails() {
		this.runner.withUserConfiguration(UdpEchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.read-timeout=5s")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo-udp.read-timeout",
					"would close the endpoint itself", "Remove protoloop.endpoints.echo-udp.read-timeout"));
	}

	@Test
	void aNegativeLingerTimeoutFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.linger-timeout=-1s")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.linger-timeout",
					"negative linger-timeout", "0s (close at once)"));
	}

	@Test
	void aNegativeConnectionLimitFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.max-connections=-1")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.max-connections",
					"has max-connections -1", "or 0 for no limit"));
	}

	@Test
	void aConnectionLimitOnAUdpEndpointFails() {
		this.runner.withUserConfiguration(UdpEchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.max-connections=10")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo-udp.max-connections",
					"no connections to limit", "Remove protoloop.endpoints.echo-udp.max-connections"));
	}

	@Test
	void aLimitPerAddressOnAUnixEndpointFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.path=" + this.directory.resolve("echo.sock"),
					"protoloop.endpoints.echo.max-connections-per-address=2")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.max-connections-per-address",
					"only tcp connections come from a client address", "Remove"));
	}

	@Test
	void aFileModeThatIsNoPermissionStringFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.path=" + this.directory.resolve("echo.sock"),
					"protoloop.endpoints.echo.file-mode=660")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.file-mode",
					"has file-mode '660', which is not a permission string", "such as rw-rw----"));
	}

	@Test
	void aFileModeOnATcpEndpointFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.file-mode=rw-rw----")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.file-mode", "has no socket file",
					"Remove protoloop.endpoints.echo.file-mode"));
	}

	@Test
	void aBacklogBelowOneFails() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.backlog=0")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.backlog", "has backlog 0",
					"follow the operating system's limit"));
	}

	// ---------------------------------------------------------------- helpers

	private static ProtocolEndpoints endpoints(AssertableApplicationContext context) {
		return context.getBean(ProtocolEndpoints.class);
	}

	private static TransportSettings settings(AssertableApplicationContext context, String endpoint) {
		return endpoints(context).get(endpoint).definition().transportSettings();
	}

	private static long guards(AssertableApplicationContext context, Guard guard) {
		return endpoints(context).running()
			.stream()
			.mapToLong((endpoint) -> endpoints(context).guardsTripped(endpoint.name(), guard))
			.sum();
	}

	/** Reads until the server ends the connection, by a close or a reset, and returns how much came. */
	private static int bytesUntilTheEnd(Client client) {
		byte[] chunk = new byte[64 * 1024];
		int total = 0;
		try {
			for (int n; (n = client.in().read(chunk)) >= 0;) {
				total += n;
			}
		}
		catch (IOException reset) {
			// An abort shows as a reset: the connection ended.
		}
		return total;
	}

	private static SocketChannel connectFrom(String localAddress, int port) throws IOException {
		SocketChannel channel = SocketChannel.open();
		channel.bind(new InetSocketAddress(localAddress, 0));
		channel.connect(new InetSocketAddress("127.0.0.1", port));
		return channel;
	}

	private static boolean ssAvailable() {
		try {
			return new ProcessBuilder("ss", "-V").start().waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

	/** The backlog of the socket listening on {@code port}, as the kernel reports it (ss's Send-Q). */
	private static int listenBacklog(int port) throws Exception {
		Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
		assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
		String line = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		return Integer.parseInt(line.split("\\s+")[2]);
	}

	/** Polls {@code condition} until it holds, for at most 20 seconds. */
	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 20s").isLessThan(deadline);
			Thread.sleep(5);
		}
	}

}
