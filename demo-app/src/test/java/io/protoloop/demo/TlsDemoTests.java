package io.protoloop.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.protoloop.boot.context.LocalEndpointPort;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.ssl.TlsConnections;
import io.protoloop.metrics.Guard;
import io.protoloop.transport.TransportView;

import static io.protoloop.demo.TlsTools.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's {@code echo-tls} endpoint over TLS 1.2 and 1.3 with three clients: the JDK's, {@code openssl s_client}
 * and Python's {@code ssl} module (the last two skipped when not installed), every byte checked; and a silent or
 * plaintext client disconnected at the handshake timeout (shortened here to 500 ms) while others are served.
 */
@SpringBootTest(properties = "protoloop.endpoints.echo-tls.ssl.handshake-timeout=500ms")
@Timeout(120)
class TlsDemoTests {

	/** What each client sends and checks: far more than one TLS record (16 KiB) and than the watermarks. */
	private static final int PAYLOAD = 1024 * 1024;

	@LocalEndpointPort("echo-tls")
	int port;

	@Autowired
	ProtocolEndpoints endpoints;

	@ParameterizedTest
	@ValueSource(strings = { "TLSv1.2", "TLSv1.3" })
	void theJdkClientGetsEveryByteBack(String protocol) throws Exception {
		byte[] payload = random(PAYLOAD);
		try (SSLSocket client = TlsTools.tls(null, this.port, protocol)) {
			assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
			CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> write(client, payload));
			assertThat(TlsTools.read(client.getInputStream(), PAYLOAD)).isEqualTo(payload);
			sent.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(serverSessions()).singleElement()
				.satisfies((session) -> assertThat(session.getProtocol()).isEqualTo(protocol));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "TLSv1.2", "TLSv1.3" })
	void opensslSClientGetsEveryByteBack(String protocol) throws Exception {
		TlsTools.assumeOnPath("openssl");
		// Text lines: s_client is an interactive tool, but with -nocommands no line is taken as a command.
		byte[] payload = lines(PAYLOAD / 64, 64);
		Process openssl = TlsTools.start("openssl", "s_client", "-connect", "127.0.0.1:" + this.port,
				protocol.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3", "-CAfile", TlsTools.demoCa().toString(),
				"-verify_ip", "127.0.0.1", "-verify_return_error", "-quiet", "-no_ign_eof", "-nocommands");
		try {
			CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> write(openssl.getOutputStream(), payload));
			assertThat(TlsTools.read(openssl.getInputStream(), payload.length)).asString(StandardCharsets.US_ASCII)
				.isEqualTo(new String(payload, StandardCharsets.US_ASCII));
			sent.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(serverSessions()).singleElement()
				.satisfies((session) -> assertThat(session.getProtocol()).isEqualTo(protocol));
			// End of input: s_client sends close_notify and the echo protocol closes.
			openssl.getOutputStream().close();
			assertThat(TlsTools.await(openssl, "openssl s_client")).isZero();
		}
		finally {
			openssl.destroyForcibly();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "TLSv1_2", "TLSv1_3" })
	void aPythonSslClientGetsEveryByteBack(String version) throws Exception {
		TlsTools.assumeOnPath("python3");
		String script = String.join("\n", "import os, socket, ssl, sys",
				"port, cafile, version, size = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])",
				"context = ssl.create_default_context(cafile=cafile)",
				"context.minimum_version = context.maximum_version = getattr(ssl.TLSVersion, version)",
				"payload = os.urandom(size)", "received = bytearray()",
				"with socket.create_connection(('127.0.0.1', port), timeout=20) as raw:",
				"    with context.wrap_socket(raw, server_hostname='localhost') as tls:",
				"        for start in range(0, size, 16384):",
				"            chunk = payload[start:start + 16384]", "            tls.sendall(chunk)",
				"            end = len(received) + len(chunk)", "            while len(received) < end:",
				"                data = tls.recv(65536)", "                if not data:",
				"                    sys.exit('the server closed the connection early')",
				"                received += data",
				"        print('OK' if received == payload else 'DIFFERENT', tls.version(), tls.cipher()[0], len(received))");
		Process python = TlsTools.start("python3", "-c", script, Integer.toString(this.port),
				TlsTools.demoCa().toString(), version, Integer.toString(PAYLOAD));
		python.getOutputStream().close();
		CompletableFuture<byte[]> output = TlsTools.readAll(python.getInputStream());
		assertThat(TlsTools.await(python, "the Python client")).isZero();
		assertThat(output.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
			.startsWith("OK " + version.replace('_', '.') + " ")
			.endsWith(" " + PAYLOAD + "\n");
	}

	@Test
	void aSilentAndAPlaintextClientAreDisconnectedAtTheHandshakeTimeoutWhileOthersGoOn() throws Exception {
		long before = this.endpoints.guardsTripped("echo-tls", Guard.HANDSHAKE_TIMEOUT);
		try (SSLSocket served = TlsTools.tls(null, this.port, "TLSv1.3")) {
			// Before connecting: the server's timers cannot start earlier.
			long connecting = System.nanoTime();
			try (Socket silent = new Socket("127.0.0.1", this.port);
					Socket plaintext = new Socket("127.0.0.1", this.port)) {
				silent.setSoTimeout((int) TIMEOUT.toMillis());
				plaintext.setSoTimeout((int) TIMEOUT.toMillis());
				// Shorter than a TLS record header: the server waits for the rest until the timeout.
				plaintext.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(bytesUntilTheEnd(silent.getInputStream())).as("an alert at most: no data").isLessThan(32);
				assertThat(bytesUntilTheEnd(plaintext.getInputStream())).as("an alert at most: no echo")
					.isLessThan(32);
				assertThat(Duration.ofNanos(System.nanoTime() - connecting))
					.isGreaterThanOrEqualTo(Duration.ofMillis(500))
					.isLessThan(TIMEOUT);
			}
			byte[] message = "still served after both were closed".getBytes(StandardCharsets.UTF_8);
			write(served, message);
			assertThat(TlsTools.read(served.getInputStream(), message.length)).isEqualTo(message);
		}
		assertThat(this.endpoints.guardsTripped("echo-tls", Guard.HANDSHAKE_TIMEOUT)).isEqualTo(before + 2);
	}

	/** The TLS sessions of the endpoint's open connections, read on their loops. */
	private List<SSLSession> serverSessions() throws Exception {
		List<SSLSession> sessions = new java.util.ArrayList<>();
		for (TransportView connection : this.endpoints.get("echo-tls").connections()) {
			sessions.add(connection.getLoop().submit(() -> TlsConnections.session(connection))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
		}
		return sessions;
	}

	private static void write(Socket socket, byte[] bytes) {
		try {
			write(socket.getOutputStream(), bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(OutputStream out, byte[] bytes) {
		try {
			out.write(bytes);
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	/** {@code count} lines of {@code length} bytes (newline included) of letters and digits, all different. */
	private static byte[] lines(int count, int length) {
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		Random random = new Random(count);
		String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
		for (int i = 0; i < count; i++) {
			for (int j = 0; j < length - 1; j++) {
				text.write(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			text.write('\n');
		}
		return text.toByteArray();
	}

	/** Reads until the server ends the connection, by a close or a reset, and returns how much came. */
	private static int bytesUntilTheEnd(InputStream in) {
		int total = 0;
		try {
			while (in.read() >= 0) {
				total++;
			}
		}
		catch (IOException reset) {
			// An abort shows as a reset: the connection ended.
		}
		return total;
	}

}
