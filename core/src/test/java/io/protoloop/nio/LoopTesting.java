package io.protoloop.nio;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.protoloop.loop.EventLoop;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded helpers for the event loop tests: every wait gives up after {@link #TIMEOUT}. The test classes time
 * out in a separate thread: interrupting a thread stuck in {@code runForever()} would not end it.
 */
public final class LoopTesting {

	/** The bound on every wait. */
	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private LoopTesting() {
	}

	/**
	 * Runs {@code loop.runForever()} on the calling thread. If it has not returned after {@link #TIMEOUT}, a
	 * watchdog stops the loop and the test fails.
	 */
	public static void runForeverBounded(EventLoop loop) {
		AtomicBoolean returned = new AtomicBoolean();
		AtomicBoolean expired = new AtomicBoolean();
		CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
			if (!returned.get()) {
				expired.set(true);
				loop.stop();
			}
		});
		try {
			loop.runForever();
		}
		finally {
			returned.set(true);
		}
		assertThat(expired).as("runForever() returned only because the watchdog stopped it").isFalse();
	}

	/** Waits at most {@link #TIMEOUT} for {@code future}. */
	public static <T> T await(CompletableFuture<T> future) throws InterruptedException, ExecutionException,
			TimeoutException {
		return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Waits at most {@link #TIMEOUT} for {@code thread} to finish, failing if it does not. */
	public static void join(Thread thread) throws InterruptedException {
		thread.join(TIMEOUT.toMillis());
		assertThat(thread.isAlive()).as("thread '%s' still alive after %s", thread.getName(), TIMEOUT).isFalse();
	}

	/**
	 * Waits until {@code loopThread} is blocked in the selector, or in {@code epoll_wait} on the epoll transport
	 * (polling its stack, at most {@link #TIMEOUT}), so a test can check that submitting work wakes it.
	 */
	public static void awaitBlockedInSelect(Thread loopThread) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!isInSelect(loopThread)) {
			assertThat(System.nanoTime() - deadline)
				.as("thread '%s' never blocked in select: %s", loopThread.getName(),
						Arrays.toString(loopThread.getStackTrace()))
				.isNegative();
			Thread.yield();
		}
	}

	private static boolean isInSelect(Thread thread) {
		return Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> (frame.getClassName().startsWith("sun.nio.ch.")
					&& frame.getMethodName().equals("doSelect"))
					|| (frame.getClassName().equals("io.protoloop.nio.Epoll")
							&& frame.getMethodName().equals("await")));
	}

	/** Busy-waits for {@code duration}: simulates a callback doing slow work (not synchronisation). */
	public static void spin(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() - end < 0) {
			Thread.onSpinWait();
		}
	}

}
