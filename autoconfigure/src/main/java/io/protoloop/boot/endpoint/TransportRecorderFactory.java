package io.protoloop.boot.endpoint;

import io.protoloop.metrics.TransportRecorder;

/**
 * Supplies the recorder for an endpoint's flow-control and connection events, for a metrics library. The
 * actuator module provides one backed by Micrometer; define a bean of this type to plug in another.
 */
@FunctionalInterface
public interface TransportRecorderFactory {

	/**
	 * {@return the recorder for the endpoint's events} Called once per endpoint at startup.
	 * @param endpoint the endpoint as configured: its name, kind and resolved properties
	 */
	TransportRecorder recorderFor(EndpointDefinition endpoint);

}
