package io.protoloop.nio;

import java.time.Duration;

/**
 * Reports a condition that may recur many times a second (out of file descriptors, a connection limit reached)
 * at most once per period, with how often it happened since the last report, so a storm costs a line per period
 * instead of a stack trace per event. Loop-confined.
 */
final class RateLimitedLog {

	/** How often each recurring condition may be reported. */
	static final Duration PERIOD = Duration.ofSeconds(10);

	private final long periodNanos;

	private long lastReport;

	private boolean reported;

	private long since;

	RateLimitedLog(Duration period) {
		this.periodNanos = period.toNanos();
	}

	/**
	 * Counts one occurrence at {@code now} (nanoseconds): returns how many occurred since the last report, this
	 * one included, if it is time to report them, else 0.
	 */
	long occurred(long now) {
		this.since++;
		if (this.reported && now - this.lastReport < this.periodNanos) {
			return 0;
		}
		this.reported = true;
		this.lastReport = now;
		long count = this.since;
		this.since = 0;
		return count;
	}

}
