package io.protoloop.boot.ssl;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import io.protoloop.tls.TlsOptions;

/**
 * Core {@link TlsOptions} over a Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>} or
 * {@code .jks.<name>}): its keys, trust, enabled protocols and ciphers. The options' {@code SSLContext} follows
 * the bundle: when a reloadable bundle ({@code reload-on-update: true}) is updated, new connections use its new
 * keys and certificates, with no restart; open connections keep the session they have. Endpoints with
 * {@code protoloop.endpoints.<name>.ssl.bundle} are set up with it; a protocol that upgrades a connection in place
 * (STARTTLS) can use it too.
 */
public final class SslBundleTlsOptions {

	private SslBundleTlsOptions() {
	}

	/**
	 * Returns a builder of options over the bundle named {@code bundleName}, with its protocols and ciphers when
	 * it sets them and asyncio's defaults otherwise; the caller adds what the bundle does not say (client
	 * authentication, timeouts). Each call follows the bundle with an {@code SSLContext} of its own: build once per
	 * endpoint, not per connection.
	 * @throws NoSuchSslBundleException if there is no such bundle
	 * @param bundles the application's SSL bundles
	 * @param bundleName the bundle's name
	 * @return a builder of options over the bundle named {@code bundleName}, with its protocols and ciphers when it sets them and asyncio's defaults otherwise; the caller adds what the bundle does not say (client authentication, timeouts)
	 */
	public static TlsOptions.Builder builder(SslBundles bundles, String bundleName) {
		SslBundle bundle = bundles.getBundle(bundleName);
		TlsOptions.Builder builder = TlsOptions.builder(ReloadingSslContext.of(bundles, bundleName, bundle));
		String[] protocols = bundle.getOptions().getEnabledProtocols();
		if (protocols != null) {
			builder.protocols(protocols);
		}
		String[] ciphers = bundle.getOptions().getCiphers();
		if (ciphers != null) {
			builder.cipherSuites(ciphers);
		}
		return builder;
	}

}
