package io.protoloop.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The client's round-trip histogram: every time lands in a bucket at most 1/32 wide, and quantiles read back. */
class LatencyHistogramTests {

	@Test
	void everyTimeFallsInABucketThatStartsAtMostAThirtySecondBelowIt() {
		long[] times = { 0, 1, 63, 64, 65, 127, 128, 1_000, 17_345, 1_000_000, 123_456_789, 1L << 40,
				Long.MAX_VALUE };
		for (long time : times) {
			int index = LatencyHistogram.index(time);
			long lower = LatencyHistogram.lowerBound(index);
			assertThat(lower).as("lower bound of %d", time).isLessThanOrEqualTo(time);
			assertThat(time - lower).as("bucket of %d", time).isLessThanOrEqualTo(Math.max(0, time / 32));
			if (time < Long.MAX_VALUE) {
				assertThat(LatencyHistogram.lowerBound(index + 1)).as("next bucket of %d", time).isGreaterThan(time);
			}
		}
	}

	@Test
	void quantilesReadTheBucketOfTheRankedTime() {
		LatencyHistogram histogram = new LatencyHistogram();
		assertThat(histogram.quantileNanos(0.5)).isNaN();
		for (int micros = 1; micros <= 1000; micros++) {
			histogram.record(micros * 1000L);
		}
		assertThat(histogram.count()).isEqualTo(1000);
		assertThat(histogram.quantileNanos(0.5)).isCloseTo(500_000, within(500_000 / 32.0));
		assertThat(histogram.quantileNanos(0.99)).isCloseTo(990_000, within(990_000 / 32.0));
		assertThat(histogram.quantileNanos(0.999)).isCloseTo(999_000, within(999_000 / 32.0));
		histogram.record(-5);
		assertThat(histogram.quantileNanos(0)).as("a negative time counts as 0").isZero();
		histogram.reset();
		assertThat(histogram.count()).isZero();
		assertThat(histogram.quantileNanos(0.99)).isNaN();
	}

}
