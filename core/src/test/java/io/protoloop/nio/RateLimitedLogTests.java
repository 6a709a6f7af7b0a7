package io.protoloop.nio;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A storm of one condition is reported once per period, with how often it happened meanwhile. */
class RateLimitedLogTests {

	@Test
	void theFirstOccurrenceIsReportedThenOnePerPeriodWithTheCountSinceTheLastReport() {
		RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10));
		long second = 1_000_000_000L;

		assertThat(log.occurred(0)).isEqualTo(1);
		for (int i = 1; i < 100; i++) {
			assertThat(log.occurred(i * second / 10)).as("occurrence %d", i).isZero();
		}
		assertThat(log.occurred(10 * second)).isEqualTo(100);
		assertThat(log.occurred(11 * second)).isZero();
		assertThat(log.occurred(25 * second)).isEqualTo(2);
	}

}
