package io.protoloop.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.LoopClock;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.VirtualClock;
import io.protoloop.metrics.CloseOutcome;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.transport.TransportSettings;

/**
 * Drives the loop of one test-kit transport on the test's thread, so that each kit method returns with its
 * effects done: the action runs as a loop callback, then the loop runs, one iteration at a time, until nothing
 * is ready. Its clock is virtual and moves only when the test calls {@link #advance(Duration)}, so timers run
 * exactly when the test says. What reaches the loop's exception handler (an exception thrown by a protocol
 * callback) is rethrown from the kit method that caused it. Also keeps the log of the callbacks made.
 */
final class TestDriver implements Driver {

	/** A bound on the iterations of one kit call, so a callback that reschedules itself forever fails the test. */
	private static final int MAX_ITERATIONS = 100_000;

	private final VirtualClock clock = new VirtualClock();

	private final SelectorEventLoop loop;

	private final List<String> events = new ArrayList<>();

	private final List<ExceptionContext> failures = new ArrayList<>();

	/** How far the clock may jump to the next timer while the loop runs: only during {@link #advance}. */
	private long jumpLimit = Long.MIN_VALUE;

	/** Set when the loop, with nothing to do, would have waited for a timer. */
	private boolean waitingForTime;

	TestDriver(String name) {
		this.loop = new SelectorEventLoop(LoopOptions.named(name).withClock(new Clock()));
		this.loop.setExceptionHandler((loop, context) -> this.failures.add(context));
	}

	SelectorEventLoop loop() {
		return this.loop;
	}

	/** Returns settings whose recorder logs the callbacks the shared lifecycle makes. */
	TransportSettings settings() {
		return TransportSettings.DEFAULT.withRecorder(new CallbackLog());
	}

	@Override
	public void called(String callback) {
		this.events.add(callback);
	}

	@Override
	public List<String> events() {
		return List.copyOf(this.events);
	}

	/**
	 * Runs {@code action} as a loop callback and the loop until nothing is ready, then returns its result; called
	 * from a callback of the loop, just runs {@code action}. Rethrows what {@code action} threw, else what the
	 * exception handler got first: unchecked exceptions as they are, anything else as an {@link AssertionError}
	 * with that cause; the others are added as suppressed.
	 */
	@Override
	public <T> T call(Supplier<T> action) {
		if (this.loop.inEventLoop()) {
			return action.get();
		}
		CompletableFuture<T> result = this.loop.submit(action::get);
		settle();
		List<Throwable> thrown = new ArrayList<>();
		if (result.isCompletedExceptionally()) {
			thrown.add(result.handle((value, ex) -> ex).join());
		}
		for (ExceptionContext failure : this.failures) {
			thrown.add((failure.exception() != null) ? failure.exception() : new AssertionError(failure.message()));
		}
		this.failures.clear();
		if (!thrown.isEmpty()) {
			rethrow(thrown);
		}
		return result.getNow(null);
	}

	/** Moves the virtual clock by {@code duration}, running each timer that comes due at its own time. */
	@Override
	public void advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("Time cannot go back: " + duration);
		}
		long target = this.clock.nanoTime() + duration.toNanos();
		this.jumpLimit = target;
		try {
			run(() -> {
			});
		}
		finally {
			this.jumpLimit = Long.MIN_VALUE;
			this.clock.skipTo(target);
		}
	}

	/**
	 * Runs one iteration at a time ({@code stop()} then {@code runForever()}) until none is ready to run: no
	 * callback is left, and no timer, or the loop would have waited for one.
	 */
	private void settle() {
		for (int i = 0; i < MAX_ITERATIONS; i++) {
			this.waitingForTime = false;
			this.loop.stop();
			this.loop.runForever();
			boolean callbacksLeft = this.loop.pendingTasks() > this.loop.pendingTimers();
			if (!callbacksLeft && (this.waitingForTime || this.loop.pendingTimers() == 0)) {
				return;
			}
		}
		throw new AssertionError("The loop of " + this.loop.name() + " was still busy after " + MAX_ITERATIONS
				+ " iterations: does a callback reschedule itself forever?");
	}

	private static void rethrow(List<Throwable> thrown) {
		Throwable first = thrown.get(0);
		for (Throwable other : thrown.subList(1, thrown.size())) {
			if (other != first) {
				first.addSuppressed(other);
			}
		}
		if (first instanceof RuntimeException unchecked) {
			throw unchecked;
		}
		if (first instanceof Error error) {
			throw error;
		}
		throw new AssertionError("A protocol callback threw " + first, first);
	}

	/** Virtual time that jumps to the next timer only while {@link #advance} allows it. */
	private final class Clock implements LoopClock {

		@Override
		public long nanoTime() {
			return TestDriver.this.clock.nanoTime();
		}

		@Override
		public boolean skipTo(long deadline) {
			if (deadline <= TestDriver.this.jumpLimit) {
				return TestDriver.this.clock.skipTo(deadline);
			}
			TestDriver.this.waitingForTime = true;
			return false;
		}

	}

	/** Logs the callbacks the shared lifecycle makes, which it reports to the recorder just before each. */
	private final class CallbackLog implements TransportRecorder {

		@Override
		public void writingPaused(long bufferSize) {
			called("pauseWriting");
		}

		@Override
		public void writingResumed(long pausedNanos) {
			called("resumeWriting");
		}

		@Override
		public void connectionClosed(CloseOutcome outcome) {
			called("connectionLost");
		}

	}

}
