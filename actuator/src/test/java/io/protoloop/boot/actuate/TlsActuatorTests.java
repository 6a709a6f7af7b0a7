package io.protoloop.boot.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint.ConnectionDescriptor;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint.EndpointDetail;
import io.protoloop.boot.actuate.metrics.ProtoloopMeters;
import io.protoloop.metrics.Guard;

import static io.protoloop.boot.actuate.ProtoloopActuatorTests.awaitTrue;
import static io.protoloop.boot.actuate.ProtoloopActuatorTests.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The meters and the {@code protoloop} endpoint see TLS connections as they see plain ones, plus the TLS version
 * and cipher of each connection, TLS connections by version, and clients closed at the handshake timeout. The
 * certificates are the autoconfigure module's test certificates ({@code autoconfigure/src/test/resources/tls}).
 */
@Timeout(60)
class TlsActuatorTests {

	private static final String CERTIFICATES = "file:../autoconfigure/src/test/resources/tls/";

	private final ApplicationContextRunner runner = withTlsEcho(ProtoloopActuatorTests.runner());

	/** Serves {@code runner}'s echo endpoint over TLS, with the SSL bundle {@code test}. */
	static ApplicationContextRunner withTlsEcho(ApplicationContextRunner runner) {
		return runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.pem.test.keystore.certificate=" + CERTIFICATES + "server.crt",
					"spring.ssl.bundle.pem.test.keystore.private-key=" + CERTIFICATES + "server.key",
					"protoloop.endpoints.echo.ssl.bundle=test");
	}

	@Test
	void eachConnectionShowsItsTlsVersionAndCipherAndIsCountedAsAPlainOneIs() {
		this.runner.run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			int port = port(context, "echo");
			try (SSLSocket tls12 = connect(port, "TLSv1.2"); SSLSocket tls13 = connect(port, "TLSv1.3")) {
				assertThat(echo(tls12, "hello")).isEqualTo("hello");
				assertThat(echo(tls13, "hello")).isEqualTo("hello");

				EndpointDetail detail = endpoint.endpoint("echo", null, null);
				assertThat(detail.endpoint().sslBundle()).isEqualTo("test");
				List<ConnectionDescriptor> connections = detail.connections();
				assertThat(connections).hasSize(2).allSatisfy((connection) -> {
					assertThat(connection.protocol()).isEqualTo(TestEndpoints.EchoProtocol.class.getName());
					assertThat(connection.bytesReceived()).as("records on the wire").isGreaterThan(5);
				});
				assertThat(connections.get(0).tls().protocol()).isEqualTo("TLSv1.2");
				assertThat(connections.get(0).tls().cipherSuite()).isEqualTo(tls12.getSession().getCipherSuite());
				assertThat(connections.get(1).tls().protocol()).isEqualTo("TLSv1.3");
				assertThat(connections.get(1).tls().cipherSuite()).isEqualTo(tls13.getSession().getCipherSuite());

				assertThat(tlsConnections(registry, "TLSv1.2")).isEqualTo(1);
				assertThat(tlsConnections(registry, "TLSv1.3")).isEqualTo(1);
				assertThat(registry.get(ProtoloopMeters.CONNECTIONS_ACTIVE.meterName()).tag("endpoint", "echo")
					.gauge()
					.value()).isEqualTo(2);
				assertThat(context.getBean(PrometheusMeterRegistry.class).scrape())
					.contains("protoloop_tls_connections{endpoint=\"echo\",kind=\"tcp\",protocol=\"TLSv1.3\"} 1.0");
			}
			awaitTrue(() -> registry.get(ProtoloopMeters.CONNECTIONS_CLOSED.meterName())
				.tags("endpoint", "echo", "outcome", "clean")
				.functionCounter()
				.count() == 2);
			assertThat(registry.get(ProtoloopMeters.CONNECTIONS_OPENED.meterName()).tag("endpoint", "echo")
				.functionCounter()
				.count()).isEqualTo(2);
			assertThat(tlsConnections(registry, "TLSv1.3")).isZero();
		});
	}

	@Test
	@SuppressWarnings("try") // the resource is held open for the test, not used
	void aConnectionStillInItsHandshakeIsListedWithoutTls() {
		this.runner.run((context) -> {
			try (Socket silent = new Socket("127.0.0.1", port(context, "echo"))) {
				ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
				awaitTrue(() -> endpoint.endpoint("echo", null, null).total() == 1);
				assertThat(endpoint.endpoint("echo", null, null).connections()).singleElement()
					.satisfies((connection) -> {
						assertThat(connection.tls()).isNull();
						// The TLS layer's class (core's, not API): the application protocol starts after the handshake.
						assertThat(connection.protocol()).endsWith(".SslProtocol");
					});
				assertThat(tlsConnections(context.getBean(MeterRegistry.class), "TLSv1.3")).isZero();
			}
		});
	}

	@Test
	void aClientClosedAtTheHandshakeTimeoutIsCountedAsAGuard() {
		this.runner.withPropertyValues("protoloop.endpoints.echo.ssl.handshake-timeout=200ms").run((context) -> {
			try (Socket silent = new Socket("127.0.0.1", port(context, "echo"))) {
				silent.setSoTimeout(10_000);
				readUntilTheEnd(silent.getInputStream());
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			awaitTrue(() -> registry.get(ProtoloopMeters.GUARDS.meterName())
				.tags("endpoint", "echo", "guard", Guard.HANDSHAKE_TIMEOUT.tagValue())
				.functionCounter()
				.count() == 1);
			assertThat(context.getBean(ProtoloopActuatorEndpoint.class).protoloop().endpoints().get(0).totals().guards())
				.containsEntry("handshake-timeout", 1L);
			assertThat(handshakes(registry, "timeout")).isEqualTo(1);
			assertThat(handshakes(registry, "completed")).isZero();
		});
	}

	@Test
	void handshakesAreCountedByOutcomeAndTimedWhenTheyComplete() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			int port = port(context, "echo");
			try (SSLSocket ok = connect(port, "TLSv1.3")) {
				assertThat(echo(ok, "hello")).isEqualTo("hello");
			}
			awaitTrue(() -> handshakes(registry, "completed") == 1);
			assertThat(registry.get(ProtoloopMeters.TLS_HANDSHAKE_DURATION.meterName()).tag("endpoint", "echo")
				.timer()
				.count()).isEqualTo(1);

			// A client that does not trust the server's certificate refuses it with an alert.
			SSLSocket untrusting = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket("127.0.0.1",
					port);
			try (untrusting) {
				untrusting.setSoTimeout(10_000);
				assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(untrusting::startHandshake);
			}
			awaitTrue(() -> handshakes(registry, "certificate") == 1);

			try (Socket plaintext = new Socket("127.0.0.1", port)) {
				plaintext.setSoTimeout(10_000);
				plaintext.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				readUntilTheEnd(plaintext.getInputStream());
			}
			awaitTrue(() -> handshakes(registry, "protocol") == 1);

			assertThat(handshakes(registry, "completed")).isEqualTo(1);
			assertThat(handshakes(registry, "closed")).isZero();
			assertThat(handshakes(registry, "timeout")).isZero();
			assertThat(registry.get(ProtoloopMeters.TLS_HANDSHAKE_DURATION.meterName()).tag("endpoint", "echo")
				.timer()
				.count()).as("failed handshakes are not timed").isEqualTo(1);
			assertThat(context.getBean(PrometheusMeterRegistry.class).scrape()).contains(
					"protoloop_tls_handshakes_total{endpoint=\"echo\",kind=\"tcp\",outcome=\"completed\"} 1.0",
					"protoloop_tls_handshakes_total{endpoint=\"echo\",kind=\"tcp\",outcome=\"certificate\"} 1.0",
					"protoloop_tls_handshakes_total{endpoint=\"echo\",kind=\"tcp\",outcome=\"protocol\"} 1.0",
					"protoloop_tls_handshake_duration_seconds_count{endpoint=\"echo\",kind=\"tcp\"} 1");
		});
	}

	@Test
	void aClientThatLeavesDuringTheHandshakeIsCountedAsClosed() {
		this.runner.run((context) -> {
			try (Socket leaving = new Socket("127.0.0.1", port(context, "echo"))) {
				leaving.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01 }); // the start of a record, no more
			}
			awaitTrue(() -> handshakes(context.getBean(MeterRegistry.class), "closed") == 1);
		});
	}

	private static double handshakes(MeterRegistry registry, String outcome) {
		return registry.get(ProtoloopMeters.TLS_HANDSHAKES.meterName())
			.tags("endpoint", "echo", "outcome", outcome)
			.functionCounter()
			.count();
	}

	@Test
	void aPlainEndpointHasNoTlsMetersAndItsConnectionsNoTls() {
		this.runner.withPropertyValues("protoloop.endpoints.echo.ssl.bundle=").run((context) -> {
			assertThat(context.getBean(MeterRegistry.class).find(ProtoloopMeters.TLS_CONNECTIONS.meterName()).meters())
				.isEmpty();
			try (Socket plain = new Socket("127.0.0.1", port(context, "echo"))) {
				plain.setSoTimeout(10_000);
				plain.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
				assertThat(plain.getInputStream().readNBytes(5)).asString(StandardCharsets.UTF_8).isEqualTo("hello");
				assertThat(context.getBean(ProtoloopActuatorEndpoint.class).endpoint("echo", null, null).connections())
					.singleElement()
					.satisfies((connection) -> assertThat(connection.tls()).isNull());
			}
		});
	}

	private static double tlsConnections(MeterRegistry registry, String protocol) {
		return registry.get(ProtoloopMeters.TLS_CONNECTIONS.meterName())
			.tags("endpoint", "echo", "protocol", protocol)
			.gauge()
			.value();
	}

	/** Connects over TLS with only {@code protocol} enabled, trusting the test CA. */
	private static SSLSocket connect(int port, String protocol) throws IOException {
		SslBundle trust = SslBundle
			.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(CERTIFICATES + "ca.crt")));
		SSLSocket socket = (SSLSocket) trust.createSslContext().getSocketFactory().createSocket("127.0.0.1", port);
		socket.setSoTimeout(10_000);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setProtocols(new String[] { protocol });
		socket.setSSLParameters(parameters);
		socket.startHandshake();
		return socket;
	}

	private static String echo(Socket socket, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		socket.getOutputStream().write(bytes);
		return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
	}

	private static void readUntilTheEnd(InputStream in) {
		try {
			while (in.read() >= 0) {
				// What comes before the end (a TLS alert) does not matter here.
			}
		}
		catch (IOException reset) {
			// An abort shows as a reset: the connection ended.
		}
	}

}
