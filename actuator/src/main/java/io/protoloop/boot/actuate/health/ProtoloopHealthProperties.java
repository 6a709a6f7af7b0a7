package io.protoloop.boot.actuate.health;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the Protoloop health indicator. */
@ConfigurationProperties("protoloop.health")
public class ProtoloopHealthProperties {

	/** How long a loop may spend in one iteration before the health indicator reports it stalled. */
	private Duration loopStallThreshold = Duration.ofSeconds(5);

	/**
	 * Returns {@code loop-stall-threshold}: How long a loop may spend in one iteration before the health indicator reports it stalled.
	 * @return the value
	 */
	public Duration getLoopStallThreshold() {
		return this.loopStallThreshold;
	}

	/**
	 * Sets {@code loop-stall-threshold}: How long a loop may spend in one iteration before the health indicator reports it stalled.
	 * @param loopStallThreshold the value
	 */
	public void setLoopStallThreshold(Duration loopStallThreshold) {
		this.loopStallThreshold = loopStallThreshold;
	}

}
