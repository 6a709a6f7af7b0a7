package io.protoloop.demo;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Clients of the demo's TLS endpoints: the JDK's {@link SSLSocket} trusting the demo CA, and the external tools
 * ({@code openssl}, {@code python3}), each test skipped with a message when its tool is not on the PATH.
 */
final class TlsTools {

	/** Bound on each run of an external tool, and on each socket read. */
	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private TlsTools() {
	}

	/** The demo CA's certificate, for the tools' {@code -CAfile} / {@code cafile}. */
	static Path demoCa() {
		try {
			return new ClassPathResource("tls/demo-ca.crt").getFile().toPath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Opens TLS over {@code socket} (a new one to 127.0.0.1 when {@code null}), offering only {@code protocol},
	 * trusting the demo CA and checking that the certificate names 127.0.0.1; the handshake is done on return.
	 */
	static SSLSocket tls(Socket socket, int port, String protocol) throws IOException {
		SslBundle trust = SslBundle
			.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("classpath:tls/demo-ca.crt")));
		SSLSocket tls = (SSLSocket) ((socket != null)
				? trust.createSslContext().getSocketFactory().createSocket(socket, "127.0.0.1", port, true)
				: trust.createSslContext().getSocketFactory().createSocket("127.0.0.1", port));
		tls.setSoTimeout((int) TIMEOUT.toMillis());
		SSLParameters parameters = tls.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		parameters.setProtocols(new String[] { protocol });
		tls.setSSLParameters(parameters);
		tls.startHandshake();
		return tls;
	}

	/** Skips the test, saying so, when {@code tool} is not on the PATH. */
	static void assumeOnPath(String tool) {
		boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.anyMatch((directory) -> new File(directory, tool).canExecute());
		assumeTrue(found, tool + " is not installed: this test is skipped");
	}

	/** Starts {@code command} with its standard error discarded. */
	static Process start(String... command) throws IOException {
		return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
	}

	/** Waits for {@code process} to end within {@link #TIMEOUT}, failing with {@code what} otherwise. */
	static int await(Process process, String what) throws InterruptedException {
		if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			fail("%s did not finish within %s", what, TIMEOUT);
		}
		return process.exitValue();
	}

	/** Reads {@code in} to its end on another thread, so a process never blocks on a full pipe. */
	static CompletableFuture<byte[]> readAll(InputStream in) {
		return CompletableFuture.supplyAsync(() -> {
			try (in) {
				return in.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/** Reads until {@code count} bytes came or the stream ended, and returns them. */
	static byte[] read(InputStream in, int count) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] chunk = new byte[8192];
		for (int n; received.size() < count && (n = in.read(chunk, 0, Math.min(chunk.length, count - received.size()))) >= 0;) {
			received.write(chunk, 0, n);
		}
		return received.toByteArray();
	}

}
