package io.protoloop.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;

import io.protoloop.boot.context.LocalEndpointPort;

import static io.protoloop.demo.TlsTools.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's {@code starttls} endpoint: a plain-text dialogue upgraded to TLS in place on {@code STARTTLS}, with
 * the JDK's client, {@code openssl s_client -starttls smtp} and Python's {@code ssl} module (the last two skipped
 * when not installed); and input sent behind {@code STARTTLS} refused, never read as if it came over TLS.
 */
@SpringBootTest
@Timeout(120)
class StartTlsDemoTests {

	@LocalEndpointPort("starttls")
	int port;

	@Test
	void theDialogueGoesOnOverTlsAfterStarttls() throws IOException {
		try (Socket plain = new Socket("127.0.0.1", this.port)) {
			plain.setSoTimeout((int) TIMEOUT.toMillis());
			assertThat(readLine(plain.getInputStream())).startsWith("220 protoloop STARTTLS demo");
			assertThat(command(plain, "EHLO test")).isEqualTo("250 STARTTLS");
			assertThat(command(plain, "ECHO in the clear")).isEqualTo("250 in the clear");
			assertThat(command(plain, "STATUS")).isEqualTo("250 plain");
			assertThat(command(plain, "STARTTLS")).isEqualTo("220 go ahead with TLS");
			try (SSLSocket tls = TlsTools.tls(plain, this.port, "TLSv1.3")) {
				assertThat(command(tls, "STATUS")).isEqualTo("250 TLSv1.3 " + tls.getSession().getCipherSuite());
				assertThat(command(tls, "ECHO in secret")).isEqualTo("250 in secret");
				assertThat(command(tls, "STARTTLS")).isEqualTo("503 TLS is already on");
				assertThat(command(tls, "QUIT")).isEqualTo("221 bye");
				assertThat(tls.getInputStream().read()).as("the end, after close_notify").isEqualTo(-1);
			}
		}
	}

	@Test
	void inputBehindStarttlsIsRefusedNotTakenAsComingOverTls() throws IOException {
		try (Socket plain = new Socket("127.0.0.1", this.port)) {
			plain.setSoTimeout((int) TIMEOUT.toMillis());
			readLine(plain.getInputStream());
			plain.getOutputStream().write("STARTTLS\r\nECHO injected\r\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(readLine(plain.getInputStream())).isEqualTo("501 nothing may follow STARTTLS before the TLS handshake");
			assertThat(plain.getInputStream().readAllBytes()).as("closed, with nothing more").isEmpty();
		}
	}

	@Test
	void opensslSClientUpgradesWithStarttlsSmtp() throws Exception {
		TlsTools.assumeOnPath("openssl");
		Process openssl = TlsTools.start("openssl", "s_client", "-connect", "127.0.0.1:" + this.port, "-starttls",
				"smtp", "-CAfile", TlsTools.demoCa().toString(), "-verify_ip", "127.0.0.1", "-verify_return_error",
				"-quiet", "-nocommands");
		try {
			CompletableFuture<byte[]> output = TlsTools.readAll(openssl.getInputStream());
			// -quiet ignores the end of input: s_client ends when the server closes, after QUIT.
			openssl.getOutputStream().write("STATUS\nECHO over openssl\nQUIT\n".getBytes(StandardCharsets.US_ASCII));
			openssl.getOutputStream().close();
			assertThat(TlsTools.await(openssl, "openssl s_client -starttls smtp")).isZero();
			assertThat(output.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.US_ASCII)
				.matches("250 TLSv1\\.3 TLS_\\w+\r\n250 over openssl\r\n221 bye\r\n");
		}
		finally {
			openssl.destroyForcibly();
		}
	}

	@Test
	void aPythonClientUpgradesWithStarttls() throws Exception {
		TlsTools.assumeOnPath("python3");
		String script = String.join("\n", "import socket, ssl, sys", "port, cafile = int(sys.argv[1]), sys.argv[2]",
				"def line(s):", "    data = b''", "    while not data.endswith(b'\\n'):", "        byte = s.recv(1)",
				"        if not byte:", "            sys.exit('closed early')", "        data += byte",
				"    return data.decode().strip()",
				"with socket.create_connection(('127.0.0.1', port), timeout=20) as raw:", "    line(raw)",
				"    raw.sendall(b'STARTTLS\\r\\n')", "    assert line(raw).startswith('220 '), 'no go-ahead'",
				"    context = ssl.create_default_context(cafile=cafile)",
				"    with context.wrap_socket(raw, server_hostname='localhost') as tls:",
				"        tls.sendall(b'STATUS\\r\\n')", "        print(line(tls))", "        tls.sendall(b'QUIT\\r\\n')",
				"        print(line(tls))");
		Process python = TlsTools.start("python3", "-c", script, Integer.toString(this.port),
				TlsTools.demoCa().toString());
		python.getOutputStream().close();
		CompletableFuture<byte[]> output = TlsTools.readAll(python.getInputStream());
		assertThat(TlsTools.await(python, "the Python client")).isZero();
		assertThat(output.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
			.matches("250 TLSv1\\.3 TLS_\\w+\n221 bye\n");
	}

	private static String command(Socket socket, String command) throws IOException {
		socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		return readLine(socket.getInputStream());
	}

	/** Reads one line, without its CR LF, one byte at a time so nothing behind it is consumed. */
	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b; (b = in.read()) != '\n';) {
			if (b < 0) {
				throw new IOException("The server closed the connection after: " + line);
			}
			line.write(b);
		}
		return line.toString(StandardCharsets.US_ASCII).strip();
	}

}
