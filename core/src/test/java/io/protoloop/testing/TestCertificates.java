package io.protoloop.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Real certificates for TLS tests, made once per test JVM with the JDK's {@code keytool}: a test CA, a server
 * certificate for {@code localhost} and {@code 127.0.0.1} and a client certificate it signed, plus a self-signed
 * certificate nobody trusts. PEM files are written for Python peers ({@code openssl} converts the keys).
 */
public final class TestCertificates {

	private static final String PASSWORD = "changeit";

	private static TestCertificates instance;

	private final Path directory;

	private TestCertificates(Path directory) {
		this.directory = directory;
	}

	/** Returns the certificates, making them on first use. */
	public static synchronized TestCertificates get() throws IOException, InterruptedException {
		if (instance == null) {
			Path directory = Files.createTempDirectory("protoloop-tls");
			directory.toFile().deleteOnExit();
			make(directory);
			instance = new TestCertificates(directory);
		}
		return instance;
	}

	private static void make(Path dir) throws IOException, InterruptedException {
		keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=Protoloop Test CA", "-ext", "bc:c", "-validity", "3", "-keystore", "ca.p12");
		keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
		keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
		for (String[] entity : new String[][] { { "server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1" },
				{ "client", "CN=Protoloop Test Client", "EKU=clientAuth" } }) {
			String name = entity[0];
			keytool(dir, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
					entity[1], "-validity", "3", "-keystore", name + ".p12");
			keytool(dir, "-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
			keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr",
					"-outfile", name + ".pem", "-ext", entity[2], "-validity", "3");
			keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", name + ".p12");
			keytool(dir, "-importcert", "-alias", name, "-file", name + ".pem", "-keystore", name + ".p12");
		}
		keytool(dir, "-genkeypair", "-alias", "rogue", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3", "-keystore", "rogue.p12");
	}

	private static void keytool(Path dir, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
		run(dir, command);
	}

	private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IOException(command + " failed: " + new String(output));
		}
	}

	/** A context with the server's key and the test CA as trust. */
	public SSLContext server() throws IOException, GeneralSecurityException {
		return context("server.p12");
	}

	/**
	 * A context with the server's key, as {@link #server()}, whose key manager is {@code keys} applied to the
	 * JDK's: a test watches or slows what a handshake asks of it.
	 */
	public SSLContext server(UnaryOperator<X509ExtendedKeyManager> keys) throws IOException, GeneralSecurityException {
		return context("server.p12", keys);
	}

	/** A context with the client's key (for mutual TLS) and the test CA as trust. */
	public SSLContext client() throws IOException, GeneralSecurityException {
		return context("client.p12");
	}

	/** A context that trusts the test CA and has no key. */
	public SSLContext trustOnly() throws IOException, GeneralSecurityException {
		return context(null);
	}

	/** A context whose key is a self-signed {@code localhost} certificate nobody trusts. */
	public SSLContext rogue() throws IOException, GeneralSecurityException {
		return context("rogue.p12");
	}

	private SSLContext context(String keyStore) throws IOException, GeneralSecurityException {
		return context(keyStore, UnaryOperator.identity());
	}

	private SSLContext context(String keyStore, UnaryOperator<X509ExtendedKeyManager> wrap)
			throws IOException, GeneralSecurityException {
		KeyManager[] keyManagers = null;
		if (keyStore != null) {
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(load(keyStore), PASSWORD.toCharArray());
			keyManagers = new KeyManager[] { wrap.apply((X509ExtendedKeyManager) keys.getKeyManagers()[0]) };
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(load("trust.p12"));
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers, trust.getTrustManagers(), null);
		return context;
	}

	private KeyStore load(String name) throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(this.directory.resolve(name))) {
			store.load(in, PASSWORD.toCharArray());
		}
		return store;
	}

	/** Returns the test CA's certificate as PEM, for a Python client's {@code cafile}. */
	public Path caPem() {
		return this.directory.resolve("ca.pem");
	}

	/**
	 * Returns the server's certificate chain and key as one PEM file, for a Python server's
	 * {@code load_cert_chain} (made with {@code openssl}).
	 */
	public synchronized Path serverPem() throws IOException, InterruptedException {
		Path pem = this.directory.resolve("server-key-and-chain.pem");
		if (!Files.exists(pem)) {
			run(this.directory, List.of("openssl", "pkcs12", "-in", "server.p12", "-nodes", "-passin",
					"pass:" + PASSWORD, "-out", pem.getFileName().toString()));
		}
		return pem;
	}

}
