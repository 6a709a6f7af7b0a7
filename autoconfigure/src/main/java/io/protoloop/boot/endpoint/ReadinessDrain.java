package io.protoloop.boot.endpoint;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The first step of shutdown: readiness goes to {@link ReadinessState#REFUSING_TRAFFIC}, then the endpoints keep
 * accepting for the drain delay, so load balancers that probe readiness stop sending new connections before the
 * endpoints stop accepting. Stops in the phase just before {@link ProtocolEndpoints}, which then stops them.
 */
public final class ReadinessDrain implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ReadinessDrain.class);

	private final ApplicationEventPublisher publisher;

	private final ProtocolEndpoints endpoints;

	private final Duration delay;

	private volatile boolean running;

	/**
	 * @param publisher where readiness is published
	 * @param endpoints the endpoints that go on accepting during the delay
	 * @param delay how long they go on
	 */
	public ReadinessDrain(ApplicationEventPublisher publisher, ProtocolEndpoints endpoints, Duration delay) {
		this.publisher = publisher;
		this.endpoints = endpoints;
		this.delay = delay;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		if (this.endpoints.running().isEmpty()) {
			callback.run();
			return;
		}
		AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
		if (this.delay.isZero()) {
			callback.run();
			return;
		}
		logger.info("Readiness is REFUSING_TRAFFIC; Protoloop endpoints keep accepting for "
				+ this.delay.toMillis() + "ms (protoloop.shutdown.drain-delay), then stop");
		CompletableFuture.delayedExecutor(this.delay.toMillis(), TimeUnit.MILLISECONDS).execute(callback);
	}

	@Override
	public void stop() {
		ProtocolEndpoints.stopAndWait(this, this.delay);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Like the endpoints: a paused test context keeps serving, so it must not refuse traffic either. */
	@Override
	public boolean isPauseable() {
		return false;
	}

	/** Stops just before the endpoints. */
	@Override
	public int getPhase() {
		return ProtocolEndpoints.PHASE + 1;
	}

}
