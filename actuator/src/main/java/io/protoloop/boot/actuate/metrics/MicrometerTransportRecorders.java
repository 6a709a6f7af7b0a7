package io.protoloop.boot.actuate.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.boot.endpoint.TransportRecorderFactory;
import io.protoloop.metrics.TransportRecorder;

/** Gives each endpoint a Micrometer recorder for its flow-control distributions ({@link EndpointMeters}). */
public final class MicrometerTransportRecorders implements TransportRecorderFactory {

	private final MeterRegistry registry;

	/**
	 * Creates the recorders.
	 * @param registry where the endpoints' meters go
	 */
	public MicrometerTransportRecorders(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public TransportRecorder recorderFor(EndpointDefinition endpoint) {
		return new EndpointMeters(this.registry, endpoint);
	}

}
