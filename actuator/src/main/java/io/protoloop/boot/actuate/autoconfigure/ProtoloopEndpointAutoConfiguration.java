package io.protoloop.boot.actuate.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint;
import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.endpoint.ProtocolEndpoints;

/** The {@code protoloop} Actuator endpoint, when it is available (enabled and exposed). */
@AutoConfiguration(after = ProtoloopAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, ProtocolEndpoints.class })
@ConditionalOnAvailableEndpoint(ProtoloopActuatorEndpoint.class)
@ConditionalOnBean(ProtocolEndpoints.class)
public final class ProtoloopEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProtoloopActuatorEndpoint protoloopActuatorEndpoint(ProtocolEndpoints endpoints) {
		return new ProtoloopActuatorEndpoint(endpoints);
	}

}
