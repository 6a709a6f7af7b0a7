package io.protoloop.boot.actuate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.protoloop.boot.endpoint.ProtocolEndpoints;

/**
 * Binds the counters and gauges of every configured endpoint ({@link EndpointMeters#bindReadings}): they hold
 * no state of their own, so binding them to each registry Boot hands over is harmless. Loop meters are not
 * here: a loop has one recorder, so {@link LoopMeters} installs them once.
 */
public final class ProtoloopMetricsBinder implements MeterBinder {

	private final ProtocolEndpoints endpoints;

	/**
	 * Creates the binder.
	 * @param endpoints the application's endpoints
	 */
	public ProtoloopMetricsBinder(ProtocolEndpoints endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.endpoints.definitions()
			.forEach((endpoint) -> EndpointMeters.bindReadings(registry, endpoint, this.endpoints));
	}

}
