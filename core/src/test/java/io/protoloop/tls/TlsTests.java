package io.protoloop.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.VirtualClock;
import io.protoloop.metrics.Guard;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.testing.TestCertificates;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.TransportView;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS over real sockets on loopback, with real certificates: handshakes over TLS 1.2 and 1.3, mutual TLS,
 * failures that say why, the handshake timeout, a plaintext client, close_notify both ways and a stream cut
 * without it, and STARTTLS in place.
 */
@Timeout(60)
class TlsTests {

	private static TestCertificates certificates;

	private RunningLoop running;

	@BeforeAll
	static void makeCertificates() throws Exception {
		certificates = TestCertificates.get();
	}

	@AfterEach
	void stopLoop() {
		if (this.running != null) {
			this.running.close();
		}
	}

	private Server server(TlsOptions tls, Supplier<? extends StreamProtocol> factory) throws Exception {
		return server(ServerOptions.builder().tls(tls), factory);
	}

	private Server server(ServerOptions.Builder options, Supplier<? extends StreamProtocol> factory) throws Exception {
		return await(this.running.loop().createServer(factory, options.hosts("127.0.0.1").build()));
	}

	private static int port(Server server) {
		return ((InetSocketAddress) server.addresses().get(0)).getPort();
	}

	private <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connect(Server server,
			TlsOptions tls, Supplier<P> factory) {
		return this.running.loop().createConnection(factory, "localhost", port(server),
				ConnectionOptions.DEFAULT.withTls(tls));
	}

	/** Echoes what it receives. */
	static final class Echo extends RecordingProtocol {

		@Override
		public void dataReceived(ByteBuffer data) {
			super.dataReceived(data);
			transport().write(data.flip());
		}

	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "TLSv1.2", "TLSv1.3" })
	void aMegabyteRoundTripsIntactAndTheTransportTellsTheSession(String version) throws Exception {
		this.running = new RunningLoop("tls-echo");
		CompletableFuture<Echo> accepted = new CompletableFuture<>();
		Server server = server(TlsOptions.builder(certificates.server()).protocols(version).build(), () -> {
			Echo echo = new Echo();
			accepted.complete(echo);
			return echo;
		});
		var client = await(connect(server, TlsOptions.of(certificates.trustOnly()), RecordingProtocol::new));
		byte[] payload = randomBytes(1024 * 1024);

		this.running.run(() -> client.transport().write(payload));

		assertThat(client.protocol().awaitReceived(payload.length)).isEqualTo(payload);
		this.running.run(() -> {
			Transport transport = client.transport();
			assertThat(((SSLEngine) transport.getExtraInfo(ExtraInfo.SSL_OBJECT)).getSession().getProtocol())
				.isEqualTo(version);
			assertThat((String) transport.getExtraInfo(ExtraInfo.CIPHER)).startsWith("TLS_");
			assertThat(transport.getExtraInfo(ExtraInfo.COMPRESSION, "default")).isNull();
			assertThat(transport.getExtraInfo(ExtraInfo.SSLCONTEXT)).isSameAs(certificates.trustOnly().getClass()
				.cast(transport.getExtraInfo(ExtraInfo.SSLCONTEXT)));
			Certificate[] chain = (Certificate[]) transport.getExtraInfo(ExtraInfo.PEERCERT);
			assertThat(((X509Certificate) chain[0]).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
			assertThat(transport.getExtraInfo(ExtraInfo.PEERNAME)).isEqualTo(new InetSocketAddress("127.0.0.1",
					port(server)));
			assertThat(transport.canWriteEof()).isFalse();
		});
		Echo serverSide = await(accepted);
		// The server lists the application's transport; its view is the socket's, with the bytes on the wire.
		TransportView view = this.running.call(() -> server.connections().get(0));
		assertThat(this.running.call(() -> server.transports().get(0))).isSameAs(serverSide.transport());
		assertThat(view.applicationProtocol()).isSameAs(serverSide);
		assertThat(this.running.call(view::snapshot).bytesReceived()).isGreaterThan(payload.length);
	}

	@Test
	void closeSendsCloseNotifyThePeerSeesAnEndOfStreamThenTheEnd() throws Exception {
		this.running = new RunningLoop("tls-close");
		CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
		Server server = server(TlsOptions.of(certificates.server()), () -> {
			RecordingProtocol protocol = new RecordingProtocol();
			accepted.complete(protocol);
			return protocol;
		});
		var client = await(connect(server, TlsOptions.of(certificates.trustOnly()), RecordingProtocol::new));
		RecordingProtocol serverSide = await(accepted);
		await(serverSide.made);

		this.running.run(() -> {
			serverSide.transport().write("last words".getBytes(StandardCharsets.UTF_8));
			serverSide.transport().close();
		});

		assertThat(await(client.protocol().lost)).isNull();
		assertThat(client.protocol().received()).asString(StandardCharsets.UTF_8).isEqualTo("last words");
		assertThat(client.protocol().events()).containsExactly("made", "data", "eof", "lost");
		assertThat(await(serverSide.lost)).isNull();
		assertThat(this.running.errors()).isEmpty();
	}

	@Test
	void aStreamCutWithoutCloseNotifyIsReportedApartFromACleanEnd() throws Exception {
		this.running = new RunningLoop("tls-cut");
		CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
		Server server = server(TlsOptions.of(certificates.server()), () -> {
			RecordingProtocol protocol = new RecordingProtocol();
			accepted.complete(protocol);
			return protocol;
		});
		try (Socket plain = new Socket("127.0.0.1", port(server))) {
			SSLSocket tls = (SSLSocket) certificates.trustOnly().getSocketFactory().createSocket(plain, "localhost",
					port(server), false);
			tls.startHandshake();
			tls.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
			tls.getOutputStream().flush();
			RecordingProtocol serverSide = await(accepted);
			serverSide.awaitReceived(5);

			plain.shutdownOutput();

			assertThat(await(serverSide.lost)).isInstanceOf(SSLException.class)
				.hasMessageContaining("without close_notify");
			assertThat(serverSide.events()).doesNotContain("eof");
		}
	}

	@Test
	void mutualTlsAdmitsAClientWithACertificateAndRefusesOneWithout() throws Exception {
		this.running = new RunningLoop("mtls");
		CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
		ConcurrentLinkedQueue<RecordingProtocol> created = new ConcurrentLinkedQueue<>();
		Server server = server(TlsOptions.builder(certificates.server()).clientAuth(ClientAuth.REQUIRED).build(), () -> {
			RecordingProtocol protocol = new RecordingProtocol();
			created.add(protocol);
			accepted.complete(protocol);
			return protocol;
		});

		await(connect(server, TlsOptions.of(certificates.client()), RecordingProtocol::new));
		RecordingProtocol serverSide = await(accepted);
		await(serverSide.made);
		Certificate[] clientChain = this.running.call(() -> (Certificate[]) serverSide.transport()
			.getExtraInfo(ExtraInfo.PEERCERT));
		assertThat(((X509Certificate) clientChain[0]).getSubjectX500Principal().getName())
			.isEqualTo("CN=Protoloop Test Client");

		// TLS 1.3 ends the client's handshake before the server checks the client: the refusal may come as a
		// failed handshake or as the connection's end, with the server's alert.
		Throwable refusal;
		try {
			var refused = await(connect(server, TlsOptions.of(certificates.trustOnly()), RecordingProtocol::new));
			refusal = await(refused.protocol().lost);
		}
		catch (ExecutionException ex) {
			refusal = ex.getCause();
		}
		assertThat(refusal).isInstanceOf(SSLException.class);
		assertThat(created).hasSize(2).last().satisfies((refusedProtocol) -> assertThat(refusedProtocol.made)
			.as("the application never sees a client without a certificate").isNotDone());
	}

	@Test
	void anUntrustedServerOrAWrongHostNameFailsTheHandshakeWithTheReason() throws Exception {
		this.running = new RunningLoop("tls-trust");
		Server rogue = server(TlsOptions.of(certificates.rogue()), RecordingProtocol::new);
		Server honest = server(TlsOptions.of(certificates.server()), RecordingProtocol::new);

		assertThatThrownBy(() -> await(connect(rogue, TlsOptions.of(certificates.trustOnly()), RecordingProtocol::new)))
			.hasCauseInstanceOf(SSLHandshakeException.class)
			.hasStackTraceContaining("unable to find valid certification path");
		assertThatThrownBy(() -> await(connect(honest, TlsOptions.builder(certificates.trustOnly())
			.serverHostname("example.com")
			.build(), RecordingProtocol::new)))
			.hasCauseInstanceOf(SSLHandshakeException.class)
			.hasStackTraceContaining("example.com");
		assertThat(await(connect(honest, TlsOptions.builder(certificates.trustOnly()).serverHostname("").build(),
				RecordingProtocol::new)).protocol().made).isDone();
	}

	@Test
	void aPlaintextClientIsClosedWithoutReachingTheApplication() throws Exception {
		this.running = new RunningLoop("tls-plaintext");
		CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
		Server server = server(TlsOptions.of(certificates.server()), () -> {
			RecordingProtocol protocol = new RecordingProtocol();
			accepted.complete(protocol);
			return protocol;
		});

		try (Socket plain = new Socket("127.0.0.1", port(server))) {
			plain.setSoTimeout((int) RunningLoop.TIMEOUT.toMillis());
			OutputStream out = plain.getOutputStream();
			out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			// The server answers with an alert at most, then ends the connection.
			while (plain.getInputStream().read() >= 0) {
				// drain
			}
		}
		catch (IOException reset) {
			// A reset is an end too.
		}
		RecordingProtocol protocol = await(accepted);
		assertThat(protocol.made).isNotDone();
		this.running.call(() -> {
			assertThat(server.connectionCount()).isZero();
			return null;
		});
		assertThat(this.running.errors()).as("a bad client is no error of the server").isEmpty();
	}

	@Test
	void aSilentClientIsClosedExactlyAtTheHandshakeTimeoutAndCounted() throws Exception {
		VirtualClock clock = new VirtualClock();
		this.running = new RunningLoop(LoopOptions.named("tls-silent").withClock(clock));
		ConcurrentLinkedQueue<Guard> trips = new ConcurrentLinkedQueue<>();
		TransportRecorder recorder = new TransportRecorder() {
			@Override
			public void guardTripped(Guard guard) {
				trips.add(guard);
			}
		};
		Server server = server(ServerOptions.builder()
			.tls(TlsOptions.builder(certificates.server()).handshakeTimeout(Duration.ofSeconds(60)).build())
			.recorder(recorder), RecordingProtocol::new);
		long start = this.running.call(() -> this.running.loop().time());

		try (Socket silent = new Socket("127.0.0.1", port(server))) {
			silent.setSoTimeout((int) RunningLoop.TIMEOUT.toMillis());
			// At most a TLS alert, then the end.
			while (silent.getInputStream().read() >= 0) {
				// drain
			}
		}
		catch (IOException reset) {
			// Aborted: a reset is an end too.
		}
		assertThat(trips).containsExactly(Guard.HANDSHAKE_TIMEOUT);
		assertThat(this.running.call(() -> this.running.loop().time()) - start)
			.isGreaterThanOrEqualTo(Duration.ofSeconds(60).toNanos());
	}

	/** A line protocol that upgrades to TLS in place when told to, on either side (SMTP's STARTTLS). */
	static final class StartTlsProtocol extends RecordingProtocol {

		private final boolean serverSide;

		private final TlsOptions tls;

		final CompletableFuture<Transport> upgraded = new CompletableFuture<>();

		final StringBuilder plainText = new StringBuilder();

		StartTlsProtocol(boolean serverSide, TlsOptions tls) {
			this.serverSide = serverSide;
			this.tls = tls;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			String text = StandardCharsets.UTF_8.decode(data).toString();
			this.plainText.append(text);
			if (this.plainText.toString().endsWith(this.serverSide ? "STARTTLS\n" : "GO AHEAD\n")) {
				Transport plain = transport();
				if (this.serverSide) {
					plain.write("GO AHEAD\n".getBytes(StandardCharsets.UTF_8));
				}
				RecordingProtocol secure = this.serverSide ? new Echo() : new RecordingProtocol();
				plain.getLoop().startTls(plain, secure, this.tls, this.serverSide).whenComplete((transport, ex) -> {
					if (ex != null) {
						this.upgraded.completeExceptionally(ex);
					}
					else {
						this.upgraded.complete(transport);
					}
				});
			}
		}

	}

	@Test
	void startTlsUpgradesALivePlainConnectionOnBothSidesWithoutLosingOrReorderingData() throws Exception {
		this.running = new RunningLoop("starttls");
		CompletableFuture<StartTlsProtocol> accepted = new CompletableFuture<>();
		TlsOptions serverTls = TlsOptions.of(certificates.server());
		TlsOptions clientTls = TlsOptions.of(certificates.trustOnly());
		Server server = server(ServerOptions.builder(), () -> {
			StartTlsProtocol protocol = new StartTlsProtocol(true, serverTls);
			accepted.complete(protocol);
			return protocol;
		});
		StartTlsProtocol client = await(this.running.loop().createConnection(
				() -> new StartTlsProtocol(false, clientTls), "localhost", port(server),
				ConnectionOptions.DEFAULT)).protocol();

		this.running.run(() -> client.transport().write("EHLO\nSTARTTLS\n".getBytes(StandardCharsets.UTF_8)));

		Transport secure = await(client.upgraded);
		Transport serverSecure = await(await(accepted).upgraded);
		RecordingProtocol secureClient = (RecordingProtocol) this.running.call(secure::getProtocol);
		byte[] payload = randomBytes(300_000);
		this.running.run(() -> secure.write(payload));
		assertThat(secureClient.awaitReceived(payload.length)).isEqualTo(payload);
		assertThat(await(accepted).plainText.toString()).isEqualTo("EHLO\nSTARTTLS\n");
		assertThat(this.running.call(() -> serverSecure.getExtraInfo(ExtraInfo.CIPHER))).isNotNull();
		this.running.run(secure::close);
		assertThat(await(secureClient.lost)).isNull();
	}

}
