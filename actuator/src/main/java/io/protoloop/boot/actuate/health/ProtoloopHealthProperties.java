package io.protoloop.boot.actuate.health;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the Protoloop health indicator. */
@ConfigurationProperties("protoloop.health")
public class ProtoloopHealthProperties {

	/** How long a loop may spend in one iteration before the health indicator reports it stalled. */
	private Duration loopStallThreshold = Duration.ofSeconds(5);

	/**
	 * {@return the {@code protoloop.health.loop-stall-threshold} property} How long a loop may spend in one iteration
	 * before the health indicator reports it stalled.
	 */
	public Duration getLoopStallThreshold() {
		return this.loopStallThreshold;
	}

	/**
	 * Sets the {@code protoloop.health.loop-stall-threshold} property.
	 * @param loopStallThreshold how long a loop may spend in one iteration before the health indicator reports it
	 * stalled.
	 */
	public void setLoopStallThreshold(Duration loopStallThreshold) {
		this.loopStallThreshold = loopStallThreshold;
	}

}
