package io.protoloop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS key of a benchmark run: an EC P-256 key with a self-signed certificate for localhost, made once per run
 * with the JDK's {@code keytool}, so every TLS server (Protoloop's and Netty's) serves the same certificate and
 * the client trusts it. The servers find it through the system property {@value #KEY_STORE}.
 */
final class BenchTls {

	/** The system property that names the PKCS#12 key store, set on the server JVMs by the runner. */
	static final String KEY_STORE = "bench.tls.keystore";

	private static final String PASSWORD = "benchmark";

	private BenchTls() {
	}

	/** Makes the key store in {@code directory}; returns its path. */
	static Path create(Path directory) throws IOException, InterruptedException {
		Path keyStore = directory.resolve("tls.p12");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
				"-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
				keyStore.toString(), "-storepass", PASSWORD);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IOException(String.join(" ", command) + " failed: " + output);
		}
		return keyStore;
	}

	/** The servers' key managers, over the key store {@value #KEY_STORE} names. */
	static KeyManagerFactory keyManagers() throws IOException, GeneralSecurityException {
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(load(Path.of(System.getProperty(KEY_STORE))), PASSWORD.toCharArray());
		return keys;
	}

	/** The JDK context of the Protoloop TLS server. */
	static SSLContext serverContext() throws IOException, GeneralSecurityException {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers().getKeyManagers(), null, null);
		return context;
	}

	/** The client's context: it trusts the certificate of {@code keyStore}. */
	static SSLContext clientContext(Path keyStore) throws IOException, GeneralSecurityException {
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(load(keyStore));
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	private static KeyStore load(Path path) throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(path)) {
			store.load(in, PASSWORD.toCharArray());
		}
		return store;
	}

}
