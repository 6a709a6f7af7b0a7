package io.protoloop.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.protoloop.loop.EventLoop;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.LoopOptions;

/**
 * An event loop running on a thread of its own for a test, with every call to its exception handler recorded.
 * Every wait is bounded by {@link #TIMEOUT}.
 */
public final class RunningLoop implements AutoCloseable {

	/** The bound on every wait in tests. */
	public static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final EventLoopGroup group;

	private final SelectorEventLoop loop;

	private final List<ExceptionContext> errors = new ArrayList<>();

	public RunningLoop(String name) {
		this(LoopOptions.named(name));
	}

	/** Runs a loop with {@code options}: a {@code VirtualClock} in them runs it in virtual time. */
	public RunningLoop(LoopOptions options) {
		this.group = new EventLoopGroup(1, options);
		this.loop = (SelectorEventLoop) this.group.loops().get(0);
		this.loop.setExceptionHandler((loop, context) -> {
			synchronized (this.errors) {
				this.errors.add(context);
				this.errors.notifyAll();
			}
		});
	}

	public SelectorEventLoop loop() {
		return this.loop;
	}

	/** Runs {@code task} on the loop thread and returns its result. */
	public <T> T call(Callable<T> task) throws Exception {
		return await(this.loop.submit(task));
	}

	/** Runs {@code task} on the loop thread and waits for it. */
	public void run(ThrowingRunnable task) throws Exception {
		call(() -> {
			task.run();
			return null;
		});
	}

	/** Waits for {@code stage}, at most {@link #TIMEOUT}. */
	public static <T> T await(CompletionStage<T> stage) throws Exception {
		return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Waits until {@code condition} holds, checking it every millisecond, at most {@link #TIMEOUT}: for states
	 * no callback announces (a thread's state, a count of open descriptors).
	 * @param what says what was seen instead, for the failure
	 */
	public static void awaitCondition(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Timed out: " + what.get());
			}
			Thread.sleep(1);
		}
	}

	/** Returns the exception-handler calls so far. */
	public List<ExceptionContext> errors() {
		synchronized (this.errors) {
			return List.copyOf(this.errors);
		}
	}

	/** Waits until the exception handler has been called {@code count} times and returns the calls. */
	public List<ExceptionContext> awaitErrors(int count) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		synchronized (this.errors) {
			while (this.errors.size() < count) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError("Expected " + count + " exception-handler calls, got " + this.errors);
				}
				this.errors.wait(Math.max(1, left / 1_000_000));
			}
			return List.copyOf(this.errors);
		}
	}

	@Override
	public void close() {
		this.group.close();
	}

	/** A runnable that may throw. */
	@FunctionalInterface
	public interface ThrowingRunnable {

		void run() throws Exception;

	}

}
