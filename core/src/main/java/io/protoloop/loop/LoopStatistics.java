package io.protoloop.loop;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;

import io.protoloop.metrics.LoopRecorder;

/**
 * What a loop measures about itself, always on: time busy and idle, slow callbacks (logged by name in debug
 * mode), pending tasks, and when the running callback began, so other threads can see a loop that is stuck.
 * Written by the loop thread only; the fields other threads read are volatile. One clock read per callback:
 * the end of one callback is the start of the next.
 */
final class LoopStatistics {

	private static final System.Logger logger = System.getLogger(BaseEventLoop.class.getName());

	volatile boolean debug;

	volatile long slowCallbackNanos;

	volatile LoopRecorder recorder = LoopRecorder.NONE;

	/** When the work now running began, or 0 while the loop waits for I/O. */
	private volatile long busySince;

	private volatile long busyNanos;

	private volatile long idleNanos;

	private volatile long slowCallbacks;

	volatile int pendingTasks;

	private long callbackStart;

	/** Time spent in I/O handlers during the current poll, which counts as busy, not idle. */
	private long handlerNanos;

	private boolean polling;

	LoopStatistics(LoopOptions options) {
		this.debug = options.debug();
		this.slowCallbackNanos = options.slowCallbackDuration().toNanos();
	}

	/** The loop starts working on its ready callbacks. */
	void workStarted() {
		long now = System.nanoTime();
		this.busySince = now;
		this.callbackStart = now;
	}

	/** The loop stops working and polls for I/O: returns the time of the call. */
	long pollStarted() {
		long now = System.nanoTime();
		this.busyNanos += now - this.busySince;
		this.busySince = 0;
		this.handlerNanos = 0;
		this.polling = true;
		return now;
	}

	/** The poll returned: the time in it was idle, except what its I/O handlers took. */
	void pollEnded(long pollStart) {
		long now = System.nanoTime();
		this.polling = false;
		this.idleNanos += now - pollStart - this.handlerNanos;
		this.busyNanos += this.handlerNanos;
		this.busySince = now;
		this.callbackStart = now;
	}

	/** The iteration is done. */
	void iterationEnded(int pending) {
		this.busyNanos += System.nanoTime() - this.busySince;
		this.pendingTasks = pending;
	}

	/** An I/O handler starts, inside a poll. */
	void handlerStarted() {
		long now = System.nanoTime();
		this.callbackStart = now;
		this.busySince = now;
	}

	/**
	 * Counts {@code what} as slow if it ran past the slow-callback duration (always), and logs it in debug mode.
	 */
	void callbackEnded(Object what) {
		long now = System.nanoTime();
		long elapsed = now - this.callbackStart;
		this.callbackStart = now;
		if (this.polling) {
			this.handlerNanos += elapsed;
			this.busySince = 0;
		}
		if (elapsed >= this.slowCallbackNanos) {
			this.slowCallbacks++;
			this.recorder.slowCallback(elapsed);
			if (this.debug) {
				logger.log(Level.WARNING, () -> String.format(Locale.ROOT, "Executing %s took %.3f seconds",
						describe(what), elapsed / 1e9));
			}
		}
	}

	/** Returns {@code what.toString()}, which is user code and may fail, without ever throwing. */
	private static String describe(Object what) {
		try {
			return String.valueOf(what);
		}
		catch (RuntimeException ex) {
			return what.getClass().getName() + " (toString() failed: " + ex + ")";
		}
	}

	long busyNanos() {
		return this.busyNanos;
	}

	long idleNanos() {
		return this.idleNanos;
	}

	long slowCallbacks() {
		return this.slowCallbacks;
	}

	/** How long the running callback or iteration has been busy, or zero while waiting for I/O. */
	Duration currentIterationTime() {
		long since = this.busySince;
		return (since != 0) ? Duration.ofNanos(Math.max(0, System.nanoTime() - since)) : Duration.ZERO;
	}

}
