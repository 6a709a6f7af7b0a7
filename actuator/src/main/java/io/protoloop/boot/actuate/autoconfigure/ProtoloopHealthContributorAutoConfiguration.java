package io.protoloop.boot.actuate.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.protoloop.boot.actuate.health.ProtoloopHealthIndicator;
import io.protoloop.boot.actuate.health.ProtoloopHealthProperties;
import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.endpoint.ProtocolEndpoints;

/** The {@code protoloop} health indicator ({@code management.health.protoloop.enabled}). */
@AutoConfiguration(after = ProtoloopAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class, ProtocolEndpoints.class })
@ConditionalOnEnabledHealthIndicator("protoloop")
@ConditionalOnBean(ProtocolEndpoints.class)
@EnableConfigurationProperties(ProtoloopHealthProperties.class)
public final class ProtoloopHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "protoloopHealthIndicator")
	ProtoloopHealthIndicator protoloopHealthIndicator(ProtocolEndpoints endpoints,
			ProtoloopHealthProperties properties) {
		return new ProtoloopHealthIndicator(endpoints, properties.getLoopStallThreshold());
	}

}
