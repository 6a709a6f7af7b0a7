package io.protoloop.boot.ssl;

import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * An {@link SSLContext} that is the current context of an SSL bundle: every engine, and so every new connection,
 * comes from the context made of the bundle's latest update. Core reads the context of its {@code TlsOptions} once
 * per connection, so swapping what this one delegates to is all a reload takes. An update that cannot be made into
 * a context is logged and the previous context stays.
 */
final class ReloadingSslContext extends SSLContext {

	private ReloadingSslContext(Spi spi, SSLContext first) {
		super(spi, first.getProvider(), first.getProtocol());
	}

	/** Returns a context over {@code bundle}, the current one of {@code bundleName}, following its updates. */
	static SSLContext of(SslBundles bundles, String bundleName, SslBundle bundle) {
		Spi spi = new Spi(bundleName, bundle.createSslContext());
		bundles.addBundleUpdateHandler(bundleName, spi::update);
		return new ReloadingSslContext(spi, spi.current);
	}

	/** Delegates to the bundle's current context. */
	private static final class Spi extends SSLContextSpi {

		private static final Log logger = LogFactory.getLog(ReloadingSslContext.class);

		private final String bundleName;

		/** Replaced on Boot's file-watcher thread, read on the loops'. */
		private volatile SSLContext current;

		Spi(String bundleName, SSLContext current) {
			this.bundleName = bundleName;
			this.current = current;
		}

		void update(SslBundle bundle) {
			try {
				this.current = bundle.createSslContext();
				logger.info("SSL bundle '" + this.bundleName + "' was updated: new TLS connections use it");
			}
			catch (RuntimeException ex) {
				logger.error("SSL bundle '" + this.bundleName + "' was updated but cannot be used; new TLS "
						+ "connections keep the previous keys and certificates", ex);
			}
		}

		@Override
		protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
				throws KeyManagementException {
			throw new KeyManagementException("The context of SSL bundle '" + this.bundleName
					+ "' is made from the bundle; it cannot be initialised again");
		}

		@Override
		protected SSLSocketFactory engineGetSocketFactory() {
			return this.current.getSocketFactory();
		}

		@Override
		protected SSLServerSocketFactory engineGetServerSocketFactory() {
			return this.current.getServerSocketFactory();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine() {
			return this.current.createSSLEngine();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine(String host, int port) {
			return this.current.createSSLEngine(host, port);
		}

		@Override
		protected SSLSessionContext engineGetServerSessionContext() {
			return this.current.getServerSessionContext();
		}

		@Override
		protected SSLSessionContext engineGetClientSessionContext() {
			return this.current.getClientSessionContext();
		}

		@Override
		protected SSLParameters engineGetDefaultSSLParameters() {
			return this.current.getDefaultSSLParameters();
		}

		@Override
		protected SSLParameters engineGetSupportedSSLParameters() {
			return this.current.getSupportedSSLParameters();
		}

	}

}
