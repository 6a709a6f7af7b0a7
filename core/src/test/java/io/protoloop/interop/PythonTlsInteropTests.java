package io.protoloop.interop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.TestCertificates;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS between Protoloop and Python's asyncio with its {@code ssl} module, both ways, over TLS 1.2 and 1.3, and
 * STARTTLS with asyncio's {@code start_tls} on the other end. The certificates are the tests' own CA's.
 */
@Timeout(120)
class PythonTlsInteropTests extends PythonInteropSupport {

	private static final int SIZE = 512 * 1024 + 7;

	private static TestCertificates certificates;

	PythonTlsInteropTests() {
		super("python-tls-interop");
	}

	@BeforeAll
	static void makeCertificates() throws Exception {
		certificates = TestCertificates.get();
	}

	private PythonPeer start(Object... args) throws Exception {
		PythonPeer peer = PythonPeer.start(PythonPeer.copyScript("tls_peer.py", this.scripts), args);
		this.peers.add(peer);
		return peer;
	}

	/** Echoes what it receives. */
	static final class Echo extends RecordingProtocol {

		@Override
		public void dataReceived(ByteBuffer data) {
			super.dataReceived(data);
			transport().write(data.flip());
		}

	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "TLSv1.2", "TLSv1.3" })
	void aPythonTlsClientGetsItsDataEchoedByAJavaTlsServer(String version) throws Exception {
		CompletableFuture<Echo> accepted = new CompletableFuture<>();
		Server server = await(this.running.loop().createServer(() -> {
			Echo echo = new Echo();
			accepted.complete(echo);
			return echo;
		}, ServerOptions.builder()
			.hosts("127.0.0.1")
			.tls(TlsOptions.builder(certificates.server()).protocols(version).build())
			.build()));
		int port = ((InetSocketAddress) server.addresses().get(0)).getPort();

		PythonPeer client = start("client", port, certificates.caPem(), SIZE);
		Map<String, String> result = client.result();

		assertThat(client.awaitExit()).as(client.describe()).isZero();
		assertThat(result).containsEntry("received", String.valueOf(SIZE)).containsEntry("version", version);
		assertThat(await(accepted).received()).hasSize(SIZE);
		assertThat(this.running.errors()).isEmpty();
	}

	@ParameterizedTest(name = "Python server limited to {0}")
	@CsvSource({ "TLSv1_2, TLSv1.2", "TLSv1_3, TLSv1.3" })
	void aJavaTlsClientGetsItsDataEchoedByAPythonTlsServer(String pythonVersion, String version) throws Exception {
		PythonPeer server = start("server", certificates.serverPem(), pythonVersion);
		int port = server.port();
		byte[] data = randomBytes(SIZE);

		var client = await(this.running.loop().createConnection(RecordingProtocol::new, "localhost", port,
				ConnectionOptions.DEFAULT.withTls(TlsOptions.of(certificates.trustOnly()))));
		this.running.run(() -> client.transport().write(data));

		assertThat(client.protocol().awaitReceived(SIZE)).isEqualTo(data);
		this.running.run(() -> client.transport().close());
		assertThat(await(client.protocol().lost)).isNull();
		Map<String, String> result = server.result();
		assertThat(server.awaitExit()).as(server.describe()).isZero();
		assertThat(result).containsEntry("received", String.valueOf(SIZE))
			.containsEntry("sha256", sha256(data))
			.containsEntry("version", version)
			.containsEntry("lost_exc", "None");
		assertThat(this.running.errors()).isEmpty();
	}

	/** The plaintext half of STARTTLS: one line each way, then {@code startTls}. */
	static final class StartTls extends RecordingProtocol {

		private final boolean serverSide;

		private final TlsOptions tls;

		private final StringBuilder text = new StringBuilder();

		final CompletableFuture<Transport> upgraded = new CompletableFuture<>();

		final RecordingProtocol secure;

		StartTls(boolean serverSide, TlsOptions tls) {
			this.serverSide = serverSide;
			this.tls = tls;
			this.secure = serverSide ? new Echo() : new RecordingProtocol();
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			this.text.append(StandardCharsets.UTF_8.decode(data));
			if (this.text.toString().endsWith(this.serverSide ? "STARTTLS\n" : "GO AHEAD\n")) {
				Transport plain = transport();
				if (this.serverSide) {
					plain.write("GO AHEAD\n".getBytes(StandardCharsets.UTF_8));
				}
				plain.getLoop().startTls(plain, this.secure, this.tls, this.serverSide).whenComplete((t, ex) -> {
					if (ex != null) {
						this.upgraded.completeExceptionally(ex);
					}
					else {
						this.upgraded.complete(t);
					}
				});
			}
		}

	}

	@Test
	void aPythonStartTlsClientUpgradesItsConnectionToAJavaServer() throws Exception {
		TlsOptions tls = TlsOptions.of(certificates.server());
		CompletableFuture<StartTls> accepted = new CompletableFuture<>();
		Server server = await(this.running.loop().createServer(() -> {
			StartTls protocol = new StartTls(true, tls);
			accepted.complete(protocol);
			return protocol;
		}, ServerOptions.builder().hosts("127.0.0.1").build()));
		int port = ((InetSocketAddress) server.addresses().get(0)).getPort();

		PythonPeer client = start("starttls-client", port, certificates.caPem(), SIZE);
		Map<String, String> result = client.result();

		assertThat(client.awaitExit()).as(client.describe()).isZero();
		assertThat(result).containsEntry("received", String.valueOf(SIZE));
		assertThat(await(await(accepted).upgraded)).isNotNull();
		assertThat(await(accepted).secure.received()).hasSize(SIZE);
	}

	@Test
	void aJavaStartTlsClientUpgradesItsConnectionToAPythonServer() throws Exception {
		PythonPeer server = start("starttls-server", certificates.serverPem());
		int port = server.port();
		TlsOptions tls = TlsOptions.of(certificates.trustOnly());
		byte[] data = randomBytes(SIZE);

		StartTls client = await(this.running.loop().createConnection(() -> new StartTls(false, tls), "localhost",
				port, ConnectionOptions.DEFAULT)).protocol();
		this.running.run(() -> client.transport().write("STARTTLS\n".getBytes(StandardCharsets.UTF_8)));
		Transport secure = await(client.upgraded);
		this.running.run(() -> secure.write(data));

		assertThat(client.secure.awaitReceived(SIZE)).isEqualTo(data);
		this.running.run(secure::close);
		Map<String, String> result = server.result();
		assertThat(server.awaitExit()).as(server.describe()).isZero();
		assertThat(result).containsEntry("sha256", sha256(data));
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

}
