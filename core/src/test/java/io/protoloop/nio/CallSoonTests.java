package io.protoloop.nio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.Handle;
import io.protoloop.testing.RunningLoop;

import static io.protoloop.nio.LoopTesting.TIMEOUT;
import static io.protoloop.nio.LoopTesting.await;
import static io.protoloop.nio.LoopTesting.awaitBlockedInSelect;
import static io.protoloop.nio.LoopTesting.join;
import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code callSoon}, {@code callSoonThreadsafe} and their handles: FIFO order, one pass per iteration, thread
 * rules and waking a loop blocked in select.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
public class CallSoonTests {

	private final SelectorEventLoop loop = new SelectorEventLoop("call-soon");

	@AfterEach
	void closeLoop() {
		this.loop.close();
	}

	@Test
	void callSoonRunsCallbacksInFifoOrder() {
		List<Integer> order = new ArrayList<>();
		this.loop.callSoon(() -> {
			for (int i = 0; i < 100; i++) {
				int n = i;
				this.loop.callSoon(() -> order.add(n));
			}
			this.loop.callSoon(this.loop::stop);
		});

		runForeverBounded(this.loop);

		assertThat(order).containsExactlyElementsOf(range(100));
	}

	@Test
	void callSoonBeforeTheLoopRunsKeepsFifoOrder() {
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			int n = i;
			this.loop.callSoon(() -> order.add(n));
		}
		this.loop.callSoon(this.loop::stop);

		runForeverBounded(this.loop);

		assertThat(order).containsExactlyElementsOf(range(100));
	}

	@Test
	void callSoonThreadsafeAndCallSoonShareOneFifoOrder() throws Exception {
		try (RunningLoop running = new RunningLoop("shared-fifo")) {
			SelectorEventLoop loop = running.loop();
			List<String> order = new ArrayList<>();
			CountDownLatch loopBlocked = new CountDownLatch(1);
			CountDownLatch submitted = new CountDownLatch(1);
			CompletableFuture<List<String>> done = new CompletableFuture<>();
			loop.callSoonThreadsafe(() -> {
				loopBlocked.countDown();
				awaitQuietly(submitted);
				// Scheduled after the other thread's callback (the latch orders them): must run after it.
				loop.callSoon(() -> order.add("callSoon from the loop"));
				loop.callSoon(() -> done.complete(List.copyOf(order)));
			});
			assertThat(loopBlocked.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

			loop.callSoonThreadsafe(() -> order.add("callSoonThreadsafe from elsewhere"));
			submitted.countDown();

			assertThat(await(done)).containsExactly("callSoonThreadsafe from elsewhere", "callSoon from the loop");
		}
	}

	@Test
	void callbacksScheduledBeforeAnIterationRunBeforeTheTimersThatBecomeDueInIt() {
		List<String> order = new ArrayList<>();
		this.loop.callAt(this.loop.time() - 1_000_000, () -> order.add("due timer"));
		this.loop.callSoon(() -> order.add("callback"));
		this.loop.callSoon(this.loop::stop);

		runForeverBounded(this.loop);

		// As in asyncio, where due timers are appended to the ready queue behind what is already there.
		assertThat(order).containsExactly("callback", "due timer");
	}

	@Test
	void callbacksScheduledByARunningCallbackRunOnTheNextIteration() {
		List<String> log = new ArrayList<>();
		this.loop.callSoon(() -> {
			log.add("first");
			this.loop.callSoon(() -> log.add("scheduled by first"));
			// Ends the loop after this iteration: only what was ready when the pass began runs.
			this.loop.stop();
		});
		this.loop.callSoon(() -> log.add("second"));

		runForeverBounded(this.loop);
		assertThat(log).containsExactly("first", "second");

		this.loop.callSoon(this.loop::stop);
		runForeverBounded(this.loop);
		assertThat(log).containsExactly("first", "second", "scheduled by first");
	}

	@Test
	void aCallbackThatReschedulesItselfRunsOncePerIterationAndCannotStarveTimers() {
		AtomicInteger runs = new AtomicInteger();
		Runnable spinner = new Runnable() {

			@Override
			public void run() {
				runs.incrementAndGet();
				CallSoonTests.this.loop.callSoon(this);
			}

		};
		this.loop.callSoon(spinner);
		List<Integer> runsWhenTimerFired = new ArrayList<>();
		this.loop.callLater(Duration.ofMillis(20), () -> {
			runsWhenTimerFired.add(runs.get());
			this.loop.stop();
		});

		// If the loop ran ready callbacks until none were left, the timer would never fire.
		runForeverBounded(this.loop);

		assertThat(runsWhenTimerFired).hasSize(1);
		assertThat(runsWhenTimerFired.get(0)).isPositive();
	}

	@Test
	void stopInsideACallbackEndsTheLoopAfterTheCurrentIteration() {
		AtomicInteger iterations = new AtomicInteger();
		Runnable counter = new Runnable() {

			@Override
			public void run() {
				if (iterations.incrementAndGet() == 3) {
					CallSoonTests.this.loop.stop();
				}
				CallSoonTests.this.loop.callSoon(this);
			}

		};
		this.loop.callSoon(counter);

		runForeverBounded(this.loop);

		assertThat(iterations).hasValue(3);
	}

	@Test
	void callSoonReturnsAHandleThatCanBeCancelledBeforeItRuns() {
		List<String> log = new ArrayList<>();
		this.loop.callSoon(() -> {
			Handle doomed = this.loop.callSoon(() -> log.add("cancelled one"));
			this.loop.callSoon(() -> log.add("kept"));
			this.loop.callSoon(this.loop::stop);
			doomed.cancel();
			doomed.cancel();
			log.add("cancelled: " + doomed.isCancelled());
		});

		runForeverBounded(this.loop);

		assertThat(log).containsExactly("cancelled: true", "kept");
	}

	@Test
	void handleToStringNamesTheCallbackAndTheCancellation() {
		Handle handle = this.loop.callSoon(new Named("my-callback"));
		assertThat(handle).hasToString("Handle[my-callback]");
		handle.cancel();
		assertThat(handle).hasToString("Handle[my-callback, cancelled]");
	}

	@Test
	void callSoonFromAnotherThreadWhileTheLoopRunsThrowsNamingCallSoonThreadsafe() throws Exception {
		try (RunningLoop running = new RunningLoop("foreign-call-soon")) {
			SelectorEventLoop loop = running.loop();
			AtomicInteger ran = new AtomicInteger();

			assertThatThrownBy(() -> loop.callSoon(ran::incrementAndGet))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("callSoonThreadsafe")
				.hasMessageContaining(Thread.currentThread().getName());

			// Behind a round trip through the loop: had the callback been queued, it would have run by now.
			running.call(() -> null);
			assertThat(ran).hasValue(0);
		}
	}

	@Test
	void callSoonFromTheLoopThreadIsAllowedWhileItRuns() throws Exception {
		try (RunningLoop running = new RunningLoop("own-call-soon")) {
			SelectorEventLoop loop = running.loop();
			CompletableFuture<Thread> ranOn = new CompletableFuture<>();

			running.run(() -> loop.callSoon(() -> ranOn.complete(Thread.currentThread())));

			assertThat(await(ranOn)).isSameAs(running.call(Thread::currentThread));
		}
	}

	@Test
	void callSoonThreadsafeFromManyThreadsRunsEveryCallbackExactlyOnceOnTheLoopThreadInPerThreadOrder()
			throws Exception {
		int threads = 4;
		int perThread = 10_000;
		try (RunningLoop running = new RunningLoop("many-threads")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);
			// Touched only on the loop thread, read back through a round trip.
			int[] runs = new int[threads * perThread];
			int[] lastRun = new int[threads];
			Arrays.fill(lastRun, -1);
			List<String> problems = new ArrayList<>();
			CountDownLatch allRan = new CountDownLatch(threads * perThread);
			CountDownLatch start = new CountDownLatch(1);
			AtomicReference<Throwable> submitFailure = new AtomicReference<>();
			List<Thread> submitters = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int submitter = t;
				Thread thread = new Thread(() -> {
					try {
						if (!start.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
							throw new AssertionError("not started");
						}
						for (int i = 0; i < perThread; i++) {
							int n = i;
							loop.callSoonThreadsafe(() -> {
								if (Thread.currentThread() != loopThread) {
									problems.add("ran on " + Thread.currentThread());
								}
								if (lastRun[submitter] != n - 1) {
									problems.add("submitter " + submitter + ": " + n + " after " + lastRun[submitter]);
								}
								lastRun[submitter] = n;
								runs[submitter * perThread + n]++;
								allRan.countDown();
							});
						}
					}
					catch (Throwable ex) {
						submitFailure.set(ex);
					}
				}, "submitter-" + t);
				thread.start();
				submitters.add(thread);
			}

			start.countDown();
			for (Thread thread : submitters) {
				join(thread);
			}
			assertThat(submitFailure.get()).isNull();
			assertThat(allRan.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

			int[] runCounts = running.call(runs::clone);
			assertThat(runCounts).containsOnly(1);
			assertThat(running.call(() -> List.copyOf(problems))).isEmpty();
			assertThat(running.errors()).isEmpty();
		}
	}

	@Test
	void callSoonThreadsafeWakesALoopBlockedInSelectWithNoTimers() throws Exception {
		try (RunningLoop running = new RunningLoop("wake-up")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);
			assertThat(running.call(loop::pendingTimers)).isZero();

			// Several rounds: each must wake a select that has no timeout at all.
			for (int round = 0; round < 20; round++) {
				awaitBlockedInSelect(loopThread);
				CountDownLatch ran = new CountDownLatch(1);
				loop.callSoonThreadsafe(ran::countDown);
				assertThat(ran.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("round %d", round).isTrue();
			}
		}
	}

	@Test
	void callSoonThreadsafeWakesALoopWaitingForAFarTimer() throws Exception {
		try (RunningLoop running = new RunningLoop("wake-up-timer")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);
			running.run(() -> loop.callLater(Duration.ofHours(1), () -> {
			}));

			awaitBlockedInSelect(loopThread);
			CountDownLatch ran = new CountDownLatch(1);
			loop.callSoonThreadsafe(ran::countDown);

			assertThat(ran.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		}
	}

	@Test
	void handleCancelledFromAnotherThreadBeforeItRunsDoesNotRun() throws Exception {
		try (RunningLoop running = new RunningLoop("cancel-handle")) {
			SelectorEventLoop loop = running.loop();
			CountDownLatch loopBlocked = new CountDownLatch(1);
			CountDownLatch cancelled = new CountDownLatch(1);
			// Hold the loop in a callback so the handle is surely still queued when it is cancelled.
			loop.callSoonThreadsafe(() -> {
				loopBlocked.countDown();
				awaitQuietly(cancelled);
			});
			assertThat(loopBlocked.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			AtomicInteger ran = new AtomicInteger();
			Handle handle = loop.callSoonThreadsafe(ran::incrementAndGet);
			CompletableFuture<String> after = new CompletableFuture<>();
			loop.callSoonThreadsafe(() -> after.complete("after"));

			handle.cancel();
			cancelled.countDown();

			assertThat(await(after)).isEqualTo("after");
			assertThat(ran).hasValue(0);
			assertThat(handle.isCancelled()).isTrue();
		}
	}

	@Test
	void executeRunsTheCommandOnTheLoopThread() throws Exception {
		try (RunningLoop running = new RunningLoop("executor")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);

			Thread ranOn = await(CompletableFuture.supplyAsync(Thread::currentThread, loop));

			assertThat(ranOn).isSameAs(loopThread);
		}
	}

	@Test
	void inEventLoopIsTrueOnlyOnTheLoopThread() throws Exception {
		assertThat(this.loop.inEventLoop()).isFalse();
		try (RunningLoop running = new RunningLoop("in-loop")) {
			assertThat(running.loop().inEventLoop()).isFalse();
			assertThat(running.call(running.loop()::inEventLoop)).isTrue();
		}
	}

	static void awaitQuietly(CountDownLatch latch) {
		try {
			if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("latch not released within " + TIMEOUT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static List<Integer> range(int n) {
		return IntStream.range(0, n).boxed().collect(Collectors.toList());
	}

	/** A callback with a name, for messages that show callbacks. */
	public record Named(String name) implements Runnable {

		@Override
		public void run() {
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
