package io.protoloop.demo.starttls;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.protoloop.boot.ssl.SslBundleTlsOptions;
import io.protoloop.tls.TlsOptions;

/** The TLS options {@link StartTlsProtocol} upgrades with: the SSL bundle {@code demo.starttls.ssl-bundle}. */
@Configuration(proxyBeanMethods = false)
class StartTlsConfiguration {

	/** One per application: the options follow the bundle's updates for every connection upgraded later. */
	@Bean
	TlsOptions startTlsOptions(SslBundles bundles, @Value("${demo.starttls.ssl-bundle}") String bundle) {
		return SslBundleTlsOptions.builder(bundles, bundle).build();
	}

}
