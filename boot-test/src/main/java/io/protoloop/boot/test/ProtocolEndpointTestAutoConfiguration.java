package io.protoloop.boot.test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;

/**
 * What {@code @ProtocolEndpointTest} adds to Protoloop's auto-configuration: the slice's endpoints on free
 * addresses, and the {@link EndpointClients} that talk to them.
 */
@AutoConfiguration(after = ProtoloopAutoConfiguration.class)
public final class ProtocolEndpointTestAutoConfiguration {

	/**
	 * Moves the slice's endpoints to free addresses before any endpoint is resolved.
	 * @return the post-processor
	 */
	@Bean
	static FreeEndpointAddresses protoloopFreeEndpointAddresses() {
		return new FreeEndpointAddresses();
	}

	/**
	 * The test's clients, which find each endpoint by name.
	 * @param environment where the endpoints publish their addresses
	 * @return the clients
	 */
	@Bean
	@ConditionalOnMissingBean
	EndpointClients endpointClients(Environment environment) {
		return new EndpointClients(environment);
	}

}
