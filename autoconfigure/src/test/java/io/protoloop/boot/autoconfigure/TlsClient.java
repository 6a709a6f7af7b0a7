package io.protoloop.boot.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * A blocking TLS client over the JDK's {@link SSLSocket}, with the test certificates of {@code tls/} (see
 * {@code tls/generate.sh}): it trusts the test CA and checks the server's certificate names 127.0.0.1. Each client
 * has a context of its own, so no session is resumed from an earlier test. Every read times out after 10 s.
 */
final class TlsClient implements AutoCloseable {

	/** Trusts the test CA; no certificate of its own. */
	static final SslBundle TRUSTING = SslBundle.of(new PemSslStoreBundle(null,
			PemSslStoreDetails.forCertificate("classpath:tls/ca.crt")));

	/** Trusts the test CA and presents the test client certificate. */
	static final SslBundle WITH_CERTIFICATE = SslBundle.of(new PemSslStoreBundle(
			PemSslStoreDetails.forCertificate("classpath:tls/client.crt").withPrivateKey("classpath:tls/client.key"),
			PemSslStoreDetails.forCertificate("classpath:tls/ca.crt")));

	private final SSLSocket socket;

	private final InputStream in;

	private TlsClient(SSLSocket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	/** Connects to 127.0.0.1 and completes the handshake, offering {@code protocols} (all enabled if none). */
	static TlsClient connect(int port, SslBundle bundle, String... protocols) throws IOException {
		SSLSocket socket = (SSLSocket) bundle.createSslContext().getSocketFactory().createSocket("127.0.0.1", port);
		try {
			socket.setSoTimeout(10_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			if (protocols.length > 0) {
				parameters.setProtocols(protocols);
			}
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			return new TlsClient(socket);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	SSLSession session() {
		return this.socket.getSession();
	}

	/** Returns the subject of the certificate the server presented. */
	String serverSubject() throws IOException {
		return serverCertificate().getSubjectX500Principal().getName();
	}

	/** Returns the certificate the server presented. */
	X509Certificate serverCertificate() throws IOException {
		return (X509Certificate) session().getPeerCertificates()[0];
	}

	void write(byte[] bytes) throws IOException {
		this.socket.getOutputStream().write(bytes);
		this.socket.getOutputStream().flush();
	}

	void write(String text) throws IOException {
		write(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends {@code bytes} from another thread while reading as many back, so neither side waits for the other's
	 * buffers; returns what came back.
	 */
	byte[] echo(byte[] bytes) throws Exception {
		CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
			try {
				write(bytes);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		byte[] received = read(bytes.length);
		sent.get(10, TimeUnit.SECONDS);
		return received;
	}

	byte[] read(int count) throws IOException {
		return this.in.readNBytes(count);
	}

	String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) != -1 && b != '\n') {
			line.write(b);
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
