package io.protoloop.bench;

import java.io.IOException;
import java.time.Duration;

/**
 * How long a load client's run or measured window lasts: a time, or a number of units of work (requests,
 * datagrams echoed) within a time limit. {@link SyscallCount} measures by work, so every server does the same.
 * @param time the window's length, or the limit of a window of {@code work}
 * @param work the units of work the window lasts, or 0 for a window of {@code time}
 */
record Span(Duration time, long work) {

	/** Returns a window of {@code time}. */
	static Span of(Duration time) {
		return new Span(time, 0);
	}

	/** Returns a window of {@code work} units of work, which fails if they take longer than {@code limit}. */
	static Span work(long work, Duration limit) {
		if (work < 1) {
			throw new IllegalArgumentException("A window of work needs at least one unit, not " + work);
		}
		return new Span(limit, work);
	}

	/**
	 * Returns whether a window that has run for {@code elapsedNanos} and done {@code done} units is over.
	 * @throws IOException if a window of work has reached its time limit first
	 */
	boolean over(long elapsedNanos, long done) throws IOException {
		if (this.work == 0) {
			return elapsedNanos >= this.time.toNanos();
		}
		if (done >= this.work) {
			return true;
		}
		if (elapsedNanos >= this.time.toNanos()) {
			throw new IOException("Only " + done + " of " + this.work + " done in " + this.time.toSeconds() + " s");
		}
		return false;
	}

}
