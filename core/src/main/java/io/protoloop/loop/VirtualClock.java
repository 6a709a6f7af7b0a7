package io.protoloop.loop;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock for running a loop in virtual time, as asyncio's test loop does: whenever the loop has nothing to do
 * before its next timer, the clock jumps to that timer's deadline, so {@code callLater}, timeouts and
 * retries run at once and in exact order, and a test of a 60-second timeout takes microseconds. Tests may also
 * move it by hand with {@link #advance(Duration)}. Meant for tests whose peers are in the same process: a real
 * network peer still takes real time, which virtual time does not wait for. Thread-safe.
 */
public final class VirtualClock implements LoopClock {

	private final AtomicLong now = new AtomicLong();

	/** Returns the virtual time, starting at zero. */
	@Override
	public long nanoTime() {
		return this.now.get();
	}

	/** Moves to {@code deadline} if it is later than now; see {@link LoopClock#skipTo(long)}. */
	@Override
	public boolean skipTo(long deadline) {
		this.now.accumulateAndGet(deadline, Math::max);
		return true;
	}

	/**
	 * Moves the clock forward by {@code duration}; the loop runs the timers that became due at its next
	 * iteration.
	 * @param duration how far to move the clock
	 * @throws IllegalArgumentException if {@code duration} is negative
	 */
	public void advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("A clock cannot go back: " + duration);
		}
		this.now.addAndGet(duration.toNanos());
	}

	@Override
	public String toString() {
		return "VirtualClock[" + Duration.ofNanos(this.now.get()) + "]";
	}

}
