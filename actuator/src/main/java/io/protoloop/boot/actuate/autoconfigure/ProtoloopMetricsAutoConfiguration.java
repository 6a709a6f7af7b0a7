package io.protoloop.boot.actuate.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.protoloop.boot.actuate.metrics.LoopMeters;
import io.protoloop.boot.actuate.metrics.MicrometerTransportRecorders;
import io.protoloop.boot.actuate.metrics.ProtoloopMetricsBinder;
import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.TransportRecorderFactory;
import io.protoloop.nio.EventLoopGroup;

/**
 * Micrometer meters for Protoloop's endpoints and loops, when the application has a meter registry. Meters
 * that record as events happen go to the application's registry, the composite one when there are several.
 */
@AutoConfiguration(after = ProtoloopAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, ProtocolEndpoints.class })
@ConditionalOnBean({ MeterRegistry.class, ProtocolEndpoints.class })
public final class ProtoloopMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TransportRecorderFactory protoloopTransportRecorders(MeterRegistry registry) {
		return new MicrometerTransportRecorders(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	ProtoloopMetricsBinder protoloopMetricsBinder(ProtocolEndpoints endpoints) {
		return new ProtoloopMetricsBinder(endpoints);
	}

	/** Installed once here, not by a binder: each loop has one recorder, whatever the number of registries. */
	@Bean
	@ConditionalOnMissingBean
	LoopMeters protoloopLoopMeters(MeterRegistry registry, EventLoopGroup group) {
		return new LoopMeters(registry, group.loops());
	}

}
