package io.protoloop.bench;

import java.util.Arrays;

/**
 * Round-trip times of the requests of a measured window, counted in a preallocated array of log-linear buckets (32
 * per power of two, so a bucket is at most 1/32 = 3 % wide), so the client records each request without allocating.
 * Quantiles are read as the lower bound of the bucket that holds them.
 */
final class LatencyHistogram {

	/** Buckets per power of two, as a power of two: 2^5 = 32. */
	private static final int SUB_BUCKET_BITS = 5;

	private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

	/** Enough for every positive {@code long}: the largest, with 57 bits dropped, lands at 32 x 57 + 63. */
	private final long[] counts = new long[SUB_BUCKETS * 59];

	private long total;

	/** Counts one round trip of {@code nanos} nanoseconds (negative times count as 0). */
	void record(long nanos) {
		this.counts[index(Math.max(0, nanos))]++;
		this.total++;
	}

	/** Forgets every round trip counted so far. */
	void reset() {
		Arrays.fill(this.counts, 0);
		this.total = 0;
	}

	/** Returns the round trips counted since the last reset. */
	long count() {
		return this.total;
	}

	/**
	 * Returns the time under which a {@code quantile} share of the round trips fell, in nanoseconds (the lower bound
	 * of its bucket), or {@code NaN} when nothing was counted.
	 * @param quantile between 0 and 1, for example 0.99
	 * @return the quantile's time in nanoseconds, or {@code NaN}
	 */
	double quantileNanos(double quantile) {
		if (this.total == 0) {
			return Double.NaN;
		}
		long rank = Math.max(1, (long) Math.ceil(quantile * this.total));
		long seen = 0;
		for (int i = 0; i < this.counts.length; i++) {
			seen += this.counts[i];
			if (seen >= rank) {
				return lowerBound(i);
			}
		}
		throw new IllegalStateException("counts do not add up to " + this.total);
	}

	/**
	 * Below 64 ns a bucket per nanosecond; above, a value with its highest bit at {@code e} has
	 * {@code shift = e - 5} low bits dropped, which leaves 32 to 63 (its sub-bucket), after the 32 x shift buckets
	 * of the smaller powers.
	 */
	static int index(long nanos) {
		if (nanos < 2 * SUB_BUCKETS) {
			return (int) nanos;
		}
		int shift = 63 - Long.numberOfLeadingZeros(nanos) - SUB_BUCKET_BITS;
		return shift * SUB_BUCKETS + (int) (nanos >>> shift);
	}

	/** Returns the smallest time that falls in bucket {@code index}. */
	static long lowerBound(int index) {
		if (index < 2 * SUB_BUCKETS) {
			return index;
		}
		int shift = index / SUB_BUCKETS - 1;
		return (long) (index % SUB_BUCKETS + SUB_BUCKETS) << shift;
	}

}
