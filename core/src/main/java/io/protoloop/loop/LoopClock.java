package io.protoloop.loop;

/**
 * The clock an event loop schedules timers on: {@link EventLoop#time()} and the deadlines of
 * {@link EventLoop#callAt}. {@link #SYSTEM} is the monotonic system clock; a {@link VirtualClock} lets a test run
 * a loop in virtual time, where timers come due without waiting.
 */
public interface LoopClock {

	/** The monotonic system clock, {@link System#nanoTime()}. */
	LoopClock SYSTEM = System::nanoTime;

	/**
	 * {@return the current time in nanoseconds; only differences are meaningful}
	 */
	long nanoTime();

	/**
	 * Called by the loop when it has nothing to run before the next timer at {@code deadline}. A real clock
	 * returns {@code false} and the loop waits for I/O until then; a virtual clock moves to the deadline and
	 * returns {@code true}, and the loop only polls for I/O that is ready now.
	 * @param deadline the next timer's deadline, on this clock
	 * @return {@code true} if the clock moved to {@code deadline}
	 */
	default boolean skipTo(long deadline) {
		return false;
	}

}
