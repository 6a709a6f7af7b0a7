package io.protoloop.boot.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.autoconfigure.TestProtocols.EchoProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.Greeting;
import io.protoloop.boot.autoconfigure.TestProtocols.UdpEchoProtocol;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.boot.ssl.TlsConnections;
import io.protoloop.metrics.Guard;
import io.protoloop.tls.ClientAuth;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.TransportView;

import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.assertFailure;
import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Endpoints over TLS from Spring Boot SSL bundles ({@code protoloop.endpoints.<name>.ssl.*}), with real
 * handshakes over loopback: PEM and PKCS#12 bundles, the bundle's protocols and ciphers, client authentication,
 * the handshake timeout, a bundle reloaded without a restart, and every setting that cannot work.
 */
@Timeout(60)
class SslEndpointTests {

	private static final String[] PEM_BUNDLE = { "spring.ssl.bundle.pem.test.keystore.certificate=classpath:tls/server.crt",
			"spring.ssl.bundle.pem.test.keystore.private-key=classpath:tls/server.key",
			"spring.ssl.bundle.pem.test.truststore.certificate=classpath:tls/ca.crt" };

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, SslAutoConfiguration.class,
				LifecycleAutoConfiguration.class))
		.withBean(Greeting.class, () -> new Greeting("hello"))
		.withUserConfiguration(EchoProtocol.class)
		.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1");

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "TLSv1.2", "TLSv1.3" })
	void anEndpointWithAPemBundleEchoesEveryByteOverTls(String protocol) {
		this.runner.withPropertyValues(PEM_BUNDLE).withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test")
			.run((context) -> {
				try (TlsClient client = TlsClient.connect(port(context, "echo"), TlsClient.TRUSTING, protocol)) {
					assertThat(client.session().getProtocol()).isEqualTo(protocol);
					assertThat(client.serverSubject()).isEqualTo("O=Protoloop Test,CN=localhost");
					assertThat(client.readLine()).isEqualTo("hello");
					byte[] payload = randomBytes(256 * 1024);
					assertThat(client.echo(payload)).isEqualTo(payload);
				}
			});
	}

	@Test
	void aPkcs12KeyStoreBundleServesTheSameWay() {
		this.runner
			.withPropertyValues("spring.ssl.bundle.jks.test.keystore.location=classpath:tls/server.p12",
					"spring.ssl.bundle.jks.test.keystore.type=PKCS12",
					"spring.ssl.bundle.jks.test.keystore.password=secret",
					"protoloop.endpoints.echo.ssl.bundle=test")
			.run((context) -> {
				try (TlsClient client = TlsClient.connect(port(context, "echo"), TlsClient.TRUSTING)) {
					assertThat(client.session().getProtocol()).isEqualTo("TLSv1.3");
					assertThat(client.readLine()).isEqualTo("hello");
				}
			});
	}

	@Test
	void theSettingsReachTheEndpointsTlsOptions() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test",
					"protoloop.endpoints.echo.ssl.client-auth=optional",
					"protoloop.endpoints.echo.ssl.handshake-timeout=5s",
					"protoloop.endpoints.echo.ssl.shutdown-timeout=2s",
					"protoloop.endpoints.echo.ssl.delegated-task-budget=0")
			.run((context) -> {
				RunningEndpoint echo = endpoints(context).get("echo");
				TlsOptions tls = echo.definition().transportSettings().tls();
				assertThat(echo.definition().sslBundle()).isEqualTo("test");
				assertThat(tls.clientAuth()).isEqualTo(ClientAuth.OPTIONAL);
				assertThat(tls.handshakeTimeout()).hasSeconds(5);
				assertThat(tls.shutdownTimeout()).hasSeconds(2);
				assertThat(tls.delegatedTaskBudget()).isZero();
				assertThat(tls.protocols()).isEmpty();
			});
	}

	@Test
	void anEndpointWithoutABundleIsPlain() {
		this.runner.run((context) -> {
			assertThat(endpoints(context).get("echo").definition().transportSettings().tls()).isNull();
			assertThat(endpoints(context).get("echo").definition().sslBundle()).isNull();
		});
	}

	@Test
	void anEmptyBundleNameTurnsTlsOffSoTheCommandLineCanOverrideIt() {
		this.runner.withPropertyValues(PEM_BUNDLE).withPropertyValues("protoloop.endpoints.echo.ssl.bundle=")
			.run((context) -> {
				assertThat(endpoints(context).get("echo").definition().transportSettings().tls()).isNull();
				assertThat(endpoints(context).get("echo").definition().sslBundle()).isNull();
			});
	}

	@Test
	void theBundlesProtocolsAndCiphersAreTheOnlyOnesOffered() {
		String cipher = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("spring.ssl.bundle.pem.test.options.enabled-protocols=TLSv1.2",
					"spring.ssl.bundle.pem.test.options.ciphers=" + cipher, "protoloop.endpoints.echo.ssl.bundle=test")
			.run((context) -> {
				try (TlsClient client = TlsClient.connect(port(context, "echo"), TlsClient.TRUSTING)) {
					assertThat(client.session().getProtocol()).isEqualTo("TLSv1.2");
					assertThat(client.session().getCipherSuite()).isEqualTo(cipher);
				}
				assertThatExceptionOfType(SSLException.class)
					.isThrownBy(() -> TlsClient.connect(port(context, "echo"), TlsClient.TRUSTING, "TLSv1.3").close());
			});
	}

	@Test
	void requiredClientAuthRefusesAClientWithoutACertificateAndKnowsTheOneWithIt() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test",
					"protoloop.endpoints.echo.ssl.client-auth=required")
			.run((context) -> {
				int port = port(context, "echo");
				// TLS 1.3 clients finish their side before the server checks theirs: the refusal shows on the read.
				assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
					try (TlsClient anonymous = TlsClient.connect(port, TlsClient.TRUSTING)) {
						anonymous.readLine();
					}
				});
				try (TlsClient client = TlsClient.connect(port, TlsClient.WITH_CERTIFICATE)) {
					assertThat(client.readLine()).isEqualTo("hello");
					TransportView connection = endpoints(context).get("echo").connections().get(0);
					SSLSession session = connection.getLoop().submit(() -> TlsConnections.session(connection))
						.get(10, TimeUnit.SECONDS);
					assertThat(session.getPeerPrincipal().getName()).isEqualTo("CN=Protoloop Test Client");
				}
			});
	}

	@Test
	void optionalClientAuthAcceptsClientsWithAndWithoutACertificate() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test",
					"protoloop.endpoints.echo.ssl.client-auth=optional")
			.run((context) -> {
				for (var bundle : new org.springframework.boot.ssl.SslBundle[] { TlsClient.TRUSTING,
						TlsClient.WITH_CERTIFICATE }) {
					try (TlsClient client = TlsClient.connect(port(context, "echo"), bundle)) {
						assertThat(client.readLine()).isEqualTo("hello");
					}
				}
			});
	}

	@Test
	void aSilentClientIsDisconnectedAtTheHandshakeTimeoutWhileOthersAreServed() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test",
					"protoloop.endpoints.echo.ssl.handshake-timeout=300ms")
			.run((context) -> {
				int port = port(context, "echo");
				try (TlsClient served = TlsClient.connect(port, TlsClient.TRUSTING);
						Socket silent = new Socket("127.0.0.1", port)) {
					silent.setSoTimeout(10_000);
					long connected = System.nanoTime();
					assertOnlyAlerts(readUntilTheEnd(silent.getInputStream()));
					assertThat(Duration.ofNanos(System.nanoTime() - connected)).isGreaterThanOrEqualTo(
							Duration.ofMillis(300).minusMillis(20));
					awaitTrue(() -> endpoints(context).guardsTripped("echo", Guard.HANDSHAKE_TIMEOUT) == 1);
					assertThat(served.readLine()).isEqualTo("hello");
					assertThat(served.echo("still served".getBytes(StandardCharsets.UTF_8)))
						.asString(StandardCharsets.UTF_8).isEqualTo("still served");
				}
			});
	}

	@Test
	void aPlaintextClientGetsNoEchoAndIsDisconnected() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test")
			.run((context) -> {
				try (Socket plain = new Socket("127.0.0.1", port(context, "echo"))) {
					plain.setSoTimeout(10_000);
					plain.getOutputStream().write("hello, in plain text\n".getBytes(StandardCharsets.UTF_8));
					assertOnlyAlerts(readUntilTheEnd(plain.getInputStream()));
				}
				awaitTrue(() -> endpoints(context).get("echo").connectionCount() == 0);
			});
	}

	@Test
	void aReloadableBundleServesNewConnectionsWithItsNewCertificateWithoutARestart() throws IOException {
		// Key and certificate in one file, so an update is one file replaced at once.
		Path pem = this.directory.resolve("server.pem");
		Files.writeString(pem, resource("server.key") + resource("server.crt"));
		String location = "file:" + pem;
		this.runner
			.withPropertyValues("spring.ssl.bundle.pem.test.keystore.certificate=" + location,
					"spring.ssl.bundle.pem.test.keystore.private-key=" + location,
					"spring.ssl.bundle.pem.test.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=50ms", "protoloop.endpoints.echo.ssl.bundle=test")
			.run((context) -> {
				int port = port(context, "echo");
				CountDownLatch updated = new CountDownLatch(1);
				try (TlsClient before = TlsClient.connect(port, TlsClient.TRUSTING)) {
					assertThat(before.serverSubject()).isEqualTo("O=Protoloop Test,CN=localhost");
					// Handlers run in the order they were added: the endpoint's came first, at startup.
					context.getBean(SslBundles.class).addBundleUpdateHandler("test", (bundle) -> updated.countDown());
					Path next = this.directory.resolve("next.pem");
					Files.writeString(next, resource("renewed.key") + resource("renewed.crt"));
					Files.move(next, pem, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
					assertThat(updated.await(20, TimeUnit.SECONDS)).as("bundle updated within 20s").isTrue();

					try (TlsClient after = TlsClient.connect(port, TlsClient.TRUSTING)) {
						assertThat(after.serverSubject()).isEqualTo("O=Protoloop Test Renewed,CN=localhost");
						assertThat(after.serverCertificate()).isEqualTo(certificate("renewed.crt"));
						assertThat(after.readLine()).isEqualTo("hello");
					}
					assertThat(before.readLine()).isEqualTo("hello");
					assertThat(before.echo("kept".getBytes(StandardCharsets.UTF_8))).asString(StandardCharsets.UTF_8)
						.isEqualTo("kept");
					assertThat(before.serverSubject()).as("an open connection keeps its session")
						.isEqualTo("O=Protoloop Test,CN=localhost");
				}
			});
	}

	@Test
	void aBundleUpdatedThroughTheRegistryServesNewConnectionsWhileAnOpenOneKeepsWorking() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test")
			.run((context) -> {
				int port = port(context, "echo");
				try (TlsClient before = TlsClient.connect(port, TlsClient.TRUSTING)) {
					assertThat(before.serverCertificate()).isEqualTo(certificate("server.crt"));
					assertThat(before.readLine()).isEqualTo("hello");

					// What a renewal job or a vault integration does: no file, no restart.
					context.getBean(SslBundleRegistry.class).updateBundle("test", SslBundle.of(new PemSslStoreBundle(
							PemSslStoreDetails.forCertificate("classpath:tls/renewed.crt")
								.withPrivateKey("classpath:tls/renewed.key"),
							PemSslStoreDetails.forCertificate("classpath:tls/ca.crt"))));

					try (TlsClient after = TlsClient.connect(port, TlsClient.TRUSTING)) {
						assertThat(after.serverCertificate()).isEqualTo(certificate("renewed.crt"));
						assertThat(after.readLine()).isEqualTo("hello");
						byte[] payload = randomBytes(64 * 1024);
						assertThat(after.echo(payload)).isEqualTo(payload);
					}
					byte[] payload = randomBytes(64 * 1024);
					assertThat(before.echo(payload)).as("the open connection goes on").isEqualTo(payload);
					assertThat(before.serverCertificate()).as("an open connection keeps its session")
						.isEqualTo(certificate("server.crt"));
				}
			});
	}

	private static X509Certificate certificate(String name) throws IOException, CertificateException {
		try (InputStream in = SslEndpointTests.class.getResourceAsStream("/tls/" + name)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

	// ---------------------------------------------------------------- what cannot work

	@Test
	void aMissingBundleFailsNamingItAndTheConfiguredOnes() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=missing")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.ssl.bundle",
					"Endpoint 'echo' names SSL bundle 'missing', which is not configured (configured bundles: test)",
					"Configure SSL bundle 'missing' under spring.ssl.bundle.pem.missing"));
	}

	@Test
	void aBundleWithoutAKeyStoreFails() {
		this.runner
			.withPropertyValues("spring.ssl.bundle.pem.trust.truststore.certificate=classpath:tls/ca.crt",
					"protoloop.endpoints.echo.ssl.bundle=trust")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.ssl.bundle",
					"uses SSL bundle 'trust', which has no key store", "spring.ssl.bundle.pem.trust.keystore"));
	}

	@Test
	void aBundleWithoutSslBundlesFailsNamingTheMissingAutoConfiguration() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class))
			.withBean(Greeting.class, () -> new Greeting("hello"))
			.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.ssl.bundle=test")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.ssl.bundle",
					"the application has no SslBundles bean", "SslAutoConfiguration"));
	}

	@Test
	void aPlainEndpointNeedsNoSslBundles() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class))
			.withBean(Greeting.class, () -> new Greeting("hello"))
			.withUserConfiguration(EchoProtocol.class)
			.withPropertyValues("protoloop.endpoints.echo.port=0")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SslBundles.class));
	}

	@Test
	void clientAuthWithoutABundleFails() {
		this.runner.withPropertyValues("protoloop.endpoints.echo.ssl.client-auth=required")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.ssl.client-auth",
					"has ssl.client-auth but no ssl.bundle", "Set protoloop.endpoints.echo.ssl.bundle"));
	}

	@Test
	void aZeroHandshakeTimeoutFails() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test",
					"protoloop.endpoints.echo.ssl.handshake-timeout=0s")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.ssl.handshake-timeout",
					"has handshake-timeout 0ms", "a positive duration"));
	}

	@Test
	void theDelegatedTaskBudgetDefaultsToTheCoreDefault() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test")
			.run((context) -> assertThat(endpoints(context).get("echo").definition().transportSettings().tls()
				.delegatedTaskBudget()).isEqualTo(TlsOptions.DEFAULT_DELEGATED_TASK_BUDGET));
	}

	@Test
	void aNegativeDelegatedTaskBudgetFails() {
		this.runner.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=test",
					"protoloop.endpoints.echo.ssl.delegated-task-budget=-1ms")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo.ssl.delegated-task-budget",
					"has delegated-task-budget -1ms", "Set protoloop.endpoints.echo.ssl.delegated-task-budget to 0"));
	}

	@Test
	void aUdpEndpointCannotHaveTls() {
		this.runner.withUserConfiguration(UdpEchoProtocol.class)
			.withPropertyValues(PEM_BUNDLE)
			.withPropertyValues("protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.ssl.bundle=test")
			.run((context) -> assertFailure(context, "protoloop.endpoints.echo-udp.ssl.bundle",
					"is udp: TLS needs a stream", "make the endpoint tcp or unix"));
	}

	// ---------------------------------------------------------------- helpers

	private static ProtocolEndpoints endpoints(AssertableApplicationContext context) {
		return context.getBean(ProtocolEndpoints.class);
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = SslEndpointTests.class.getResourceAsStream("/tls/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	/** Reads until the server ends the connection, by a close or a reset, and returns what came. */
	private static byte[] readUntilTheEnd(InputStream in) {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		try {
			for (int b; (b = in.read()) >= 0;) {
				received.write(b);
			}
		}
		catch (IOException reset) {
			// An abort shows as a reset: the connection ended.
		}
		return received.toByteArray();
	}

	/** Asserts that {@code received} is TLS alert records (content type 21) and nothing else: no data came back. */
	private static void assertOnlyAlerts(byte[] received) {
		for (int at = 0; at < received.length; at += 5 + ((received[at + 3] & 0xff) << 8 | received[at + 4] & 0xff)) {
			assertThat(received[at]).as("content type of the record at %d of %d bytes", at, received.length)
				.isEqualTo((byte) 21);
		}
	}

	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 20s").isLessThan(deadline);
			Thread.sleep(5);
		}
	}

}
