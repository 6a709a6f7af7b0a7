package io.protoloop.tls;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.testing.TestCertificates;
import io.protoloop.tls.layer.SslProtocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS layer over a stream that delivers one byte at a time: the handshake, every record and close_notify
 * arrive split at every point, so the layer's partial-record handling is exercised where a socket would hide it.
 */
@Timeout(120)
class TlsChunkingTests {

	private final RunningLoop running = new RunningLoop("tls-chunks");

	@AfterEach
	void stopLoop() {
		this.running.close();
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
	@ValueSource(strings = { "TLSv1.2", "TLSv1.3" })
	void aHandshakeRecordsAndCloseNotifyDeliveredOneByteAtATimeCarryEveryByte(String version) throws Exception {
		TestCertificates certificates = TestCertificates.get();
		TlsOptions serverTls = TlsOptions.builder(certificates.server()).protocols(version).build();
		TlsOptions clientTls = TlsOptions.of(certificates.trustOnly());
		Echo serverApp = new Echo();
		RecordingProtocol clientApp = new RecordingProtocol();
		CompletableFuture<Transport> handshake = this.running.call(() -> {
			SslProtocol server = SslProtocol.server(this.running.loop(), serverApp, serverTls, TransportSettings.DEFAULT);
			SslProtocol client = SslProtocol.client(this.running.loop(), clientApp, clientTls,
					TransportSettings.DEFAULT, "localhost", 443);
			ChunkingTransport.connect(this.running.loop(), client, server);
			return client.handshake();
		});
		Transport transport = await(handshake);
		byte[] payload = new byte[40_000];
		new Random(7).nextBytes(payload);

		this.running.run(() -> transport.write(payload));

		assertThat(clientApp.awaitReceived(payload.length)).isEqualTo(payload);
		this.running.run(transport::close);
		assertThat(await(serverApp.lost)).isNull();
		assertThat(serverApp.events()).containsExactly("made", "data", "eof", "lost");
		assertThat(await(clientApp.lost)).isNull();
		assertThat(this.running.errors()).isEmpty();
	}

	/**
	 * The server sends two flights (TLS 1.3: ServerHello to Finished, then the session ticket; TLS 1.2: ServerHello
	 * to ServerHelloDone, then ChangeCipherSpec and Finished): each reaches the socket as one write, so one
	 * system call, whatever number of records it holds.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "TLSv1.2", "TLSv1.3" })
	void eachHandshakeFlightReachesTheSocketInOneWrite(String version) throws Exception {
		TestCertificates certificates = TestCertificates.get();
		TlsOptions serverTls = TlsOptions.builder(certificates.server()).protocols(version).build();
		SslProtocol server = SslProtocol.server(this.running.loop(), new Echo(), serverTls, TransportSettings.DEFAULT);
		SslProtocol client = SslProtocol.client(this.running.loop(), new RecordingProtocol(),
				TlsOptions.of(certificates.trustOnly()), TransportSettings.DEFAULT, "localhost", 443);
		ChunkingTransport serverSocket = this.running
			.call(() -> ChunkingTransport.connect(this.running.loop(), client, server));
		await(client.handshake());
		await(server.handshake());

		assertThat(this.running.call(serverSocket::writes)).isEqualTo(2);
		assertThat(this.running.errors()).isEmpty();
	}

	@Test
	void theWriterIsPausedWhileTheByteAtATimeStreamLagsAndResumedWhenItCatchesUp() throws Exception {
		TestCertificates certificates = TestCertificates.get();
		RecordingProtocol serverApp = new RecordingProtocol();
		RecordingProtocol clientApp = new RecordingProtocol();
		CompletableFuture<Transport> handshake = this.running.call(() -> {
			SslProtocol server = SslProtocol.server(this.running.loop(), serverApp,
					TlsOptions.of(certificates.server()), TransportSettings.DEFAULT);
			SslProtocol client = SslProtocol.client(this.running.loop(), clientApp,
					TlsOptions.of(certificates.trustOnly()), TransportSettings.DEFAULT, "localhost", 443);
			ChunkingTransport.connect(this.running.loop(), client, server);
			return client.handshake();
		});
		Transport transport = await(handshake);
		byte[] payload = new byte[120_000];

		this.running.run(() -> {
			transport.setWriteBufferLimits(16 * 1024);
			transport.write(payload);
		});

		assertThat(serverApp.awaitReceived(payload.length)).hasSize(payload.length);
		assertThat(clientApp.events()).containsSubsequence("made", "pause", "resume");
	}

}
