package io.protoloop.metrics;

/**
 * Receives what an event loop measures about itself, for metrics: how late timers run and which callbacks are
 * slow. Called on the loop thread; implementations must not block, lock or allocate. Cumulative figures (time
 * busy and idle, slow-callback count, pending tasks) are read from the loop instead.
 */
public interface LoopRecorder {

	/** Records nothing. */
	LoopRecorder NONE = new LoopRecorder() {
	};

	/**
	 * A timer ran {@code nanos} after its deadline: the loop's lag.
	 * @param nanos how late the timer was taken off the timer heap
	 */
	default void timerLag(long nanos) {
	}

	/**
	 * A callback or I/O handler ran longer than the loop's slow-callback duration.
	 * @param nanos how long it ran
	 */
	default void slowCallback(long nanos) {
	}

}
