package io.protoloop.boot.actuate.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.loop.EventLoop;

/**
 * DOWN when an endpoint that should serve is not serving, or when a loop has been stuck in one iteration longer
 * than the stall threshold (a callback is blocking it, so every connection on it is frozen). Details name each
 * endpoint and loop. Endpoints are only expected to serve while the application runs.
 */
public class ProtoloopHealthIndicator extends AbstractHealthIndicator {

	private final ProtocolEndpoints endpoints;

	private final Duration stallThreshold;

	/**
	 * Creates the indicator.
	 * @param endpoints the application's endpoints
	 * @param stallThreshold how long a loop may stay in one iteration before it counts as stuck
	 */
	public ProtoloopHealthIndicator(ProtocolEndpoints endpoints, Duration stallThreshold) {
		super("Protoloop health check failed");
		this.endpoints = endpoints;
		this.stallThreshold = stallThreshold;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean up = true;
		Map<String, Object> endpointDetails = new LinkedHashMap<>();
		for (EndpointDefinition definition : this.endpoints.definitions()) {
			RunningEndpoint running = this.endpoints.get(definition.name());
			boolean serving = running != null && running.isServing();
			up &= serving || !this.endpoints.isRunning();
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("kind", definition.kind().name().toLowerCase());
			detail.put("serving", serving);
			detail.put("connections", (running != null) ? running.connectionCount() : 0);
			endpointDetails.put(definition.name(), detail);
		}
		Map<String, Object> loopDetails = new LinkedHashMap<>();
		for (EventLoop loop : this.endpoints.group().loops()) {
			Duration iteration = loop.currentIterationTime();
			boolean stalled = iteration.compareTo(this.stallThreshold) > 0;
			up &= loop.isRunning() && !stalled;
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("running", loop.isRunning());
			detail.put("stalled", stalled);
			detail.put("currentIterationMillis", iteration.toMillis());
			detail.put("pendingTasks", loop.pendingTasks());
			loopDetails.put(loop.name(), detail);
		}
		(up ? builder.up() : builder.down()).withDetail("endpoints", endpointDetails).withDetail("loops", loopDetails);
	}

}
