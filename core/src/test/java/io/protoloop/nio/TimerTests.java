package io.protoloop.nio;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.VirtualClock;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.EventLoop;
import io.protoloop.loop.TimerHandle;
import io.protoloop.testing.RunningLoop;

import static io.protoloop.nio.CallSoonTests.awaitQuietly;
import static io.protoloop.nio.LoopTesting.TIMEOUT;
import static io.protoloop.nio.LoopTesting.await;
import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code callLater}, {@code callAt}, {@code time()} and timer handles: deadline order, scheduling order on ties,
 * cancellation (also from another thread) and the count of pending timers. The loop runs in virtual time, so
 * every timer runs exactly at its deadline and no test waits for one.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class TimerTests {

	private final SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("timers").withClock(new VirtualClock()));

	@AfterEach
	void closeLoop() {
		this.loop.close();
	}

	@Test
	void timeIsTheMonotonicNanosecondClockByDefault() {
		SelectorEventLoop systemClock = new SelectorEventLoop("system-clock");
		try {
			long before = System.nanoTime();
			long first = systemClock.time();
			long second = systemClock.time();
			long after = System.nanoTime();

			assertThat(first).isBetween(before, after);
			assertThat(second).isBetween(first, after);
		}
		finally {
			systemClock.close();
		}
	}

	@Test
	void callLaterIsDueAfterTheDelayOnTheLoopClock() {
		long before = this.loop.time();
		TimerHandle timer = this.loop.callLater(Duration.ofSeconds(5), () -> {
		});
		long after = this.loop.time();

		assertThat(timer.when()).isBetween(before + 5_000_000_000L, after + 5_000_000_000L);
	}

	@Test
	void callLaterRunsCallbacksInDeadlineOrderAndNotBeforeTheirDeadline() {
		List<String> order = new ArrayList<>();
		List<String> offTime = new ArrayList<>();
		for (String name : List.of("c:30", "a:10", "d:40", "b:20")) {
			int seconds = Integer.parseInt(name.substring(2));
			TimerHandle[] self = new TimerHandle[1];
			self[0] = this.loop.callLater(Duration.ofSeconds(seconds), () -> {
				order.add(name.substring(0, 1));
				if (this.loop.time() != self[0].when()) {
					offTime.add(name);
				}
			});
		}
		this.loop.callLater(Duration.ofSeconds(50), this.loop::stop);

		runForeverBounded(this.loop);

		assertThat(order).containsExactly("a", "b", "c", "d");
		assertThat(offTime).as("timers that did not run exactly at their deadline").isEmpty();
		assertThat(this.loop.time()).isEqualTo(Duration.ofSeconds(50).toNanos());
	}

	@Test
	void dueTimersRunInDeadlineOrderEvenWhenScheduledOutOfOrder() {
		long now = this.loop.time();
		List<Integer> order = new ArrayList<>();
		for (int offset : new int[] { 5, 1, 4, 2, 3 }) {
			// All in the past: they become due together and must still come out by deadline.
			this.loop.callAt(now - 1_000_000 + offset, () -> order.add(offset));
		}
		this.loop.callAt(now, this.loop::stop);

		runForeverBounded(this.loop);

		assertThat(order).containsExactly(1, 2, 3, 4, 5);
	}

	@Test
	void timersWithEqualDeadlinesRunInSchedulingOrder() {
		long when = this.loop.time() + TimeUnit.MILLISECONDS.toNanos(5);
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			int n = i;
			this.loop.callAt(when, () -> order.add(n));
		}
		this.loop.callAt(when, this.loop::stop);

		runForeverBounded(this.loop);

		assertThat(order).containsExactlyElementsOf(IntStream.range(0, 200).boxed().collect(Collectors.toList()));
	}

	@Test
	void negativeDelaysAndPastDeadlinesRunOnTheNextIteration() {
		List<String> log = new ArrayList<>();
		this.loop.callSoon(() -> {
			this.loop.callLater(Duration.ofSeconds(-5), () -> log.add("negative delay"));
			this.loop.callAt(this.loop.time() - 1_000_000_000L, () -> log.add("past deadline"));
			log.add("scheduler done");
		});
		this.loop.callLater(Duration.ofMillis(5), this.loop::stop);

		runForeverBounded(this.loop);

		// By deadline: the past one is due first.
		assertThat(log).containsExactly("scheduler done", "past deadline", "negative delay");
	}

	@Test
	void aTimerCallbackCanScheduleMoreTimers() {
		List<Integer> fired = new ArrayList<>();
		Runnable chain = new Runnable() {

			@Override
			public void run() {
				fired.add(fired.size());
				if (fired.size() < 5) {
					TimerTests.this.loop.callLater(Duration.ofMillis(1), this);
				}
				else {
					TimerTests.this.loop.stop();
				}
			}

		};
		this.loop.callLater(Duration.ZERO, chain);

		runForeverBounded(this.loop);

		assertThat(fired).containsExactly(0, 1, 2, 3, 4);
		assertThat(this.loop.pendingTimers()).isZero();
	}

	@Test
	void cancelledTimerDoesNotRun() {
		AtomicInteger ran = new AtomicInteger();
		TimerHandle timer = this.loop.callLater(Duration.ofMillis(5), ran::incrementAndGet);
		this.loop.callLater(Duration.ofMillis(20), this.loop::stop);
		timer.cancel();

		runForeverBounded(this.loop);

		assertThat(ran).hasValue(0);
		assertThat(timer.isCancelled()).isTrue();
		assertThat(this.loop.pendingTimers()).isZero();
	}

	@Test
	void timerCancelledFromAnotherThreadWhileQueuedDoesNotRun() throws Exception {
		try (RunningLoop running = new RunningLoop("cancel-queued-timer")) {
			SelectorEventLoop loop = running.loop();
			AtomicInteger ran = new AtomicInteger();
			CompletableFuture<TimerHandle> scheduled = new CompletableFuture<>();
			CompletableFuture<Integer> after = new CompletableFuture<>();
			CountDownLatch cancelled = new CountDownLatch(1);
			loop.callSoonThreadsafe(() -> {
				long now = loop.time();
				scheduled.complete(loop.callAt(now, ran::incrementAndGet));
				// Same deadline, scheduled later: runs right after the cancelled timer would have.
				loop.callAt(now, () -> after.complete(loop.pendingTimers()));
				// The loop waits here until the other thread has cancelled the (already due) timer.
				awaitQuietly(cancelled);
			});

			TimerHandle timer = await(scheduled);
			timer.cancel();
			cancelled.countDown();

			assertThat(await(after)).as("pending timers once both are gone").isZero();
			assertThat(ran).hasValue(0);
			assertThat(running.errors()).isEmpty();
		}
	}

	@Test
	void timerCancelledFromAnotherThreadAfterItBecameDueDoesNotRunAndIsNotCountedAsPending() throws Exception {
		try (RunningLoop running = new RunningLoop("cancel-due-timer")) {
			SelectorEventLoop loop = running.loop();
			AtomicInteger ran = new AtomicInteger();
			CompletableFuture<TimerHandle> second = new CompletableFuture<>();
			CountDownLatch firstRunning = new CountDownLatch(1);
			CountDownLatch cancelled = new CountDownLatch(1);
			CompletableFuture<Integer> pendingAfterwards = new CompletableFuture<>();
			loop.callSoonThreadsafe(() -> {
				long now = loop.time();
				// Both due together: the second is already out of the timer queue when the first runs.
				loop.callAt(now, () -> {
					firstRunning.countDown();
					awaitQuietly(cancelled);
					loop.callSoon(() -> pendingAfterwards.complete(loop.pendingTimers()));
				});
				second.complete(loop.callAt(now, ran::incrementAndGet));
			});

			assertThat(firstRunning.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			await(second).cancel();
			cancelled.countDown();

			assertThat(await(pendingAfterwards)).isZero();
			assertThat(ran).hasValue(0);
		}
	}

	@Test
	void cancellingATimerThatAlreadyRanLeavesPendingTimersAccurate() {
		AtomicInteger ran = new AtomicInteger();
		TimerHandle fired = this.loop.callLater(Duration.ZERO, ran::incrementAndGet);
		this.loop.callLater(Duration.ofMillis(5), this.loop::stop);
		runForeverBounded(this.loop);
		assertThat(ran).hasValue(1);

		// asyncio code cancels its timeout handle in connection_lost whether or not it already fired.
		fired.cancel();
		this.loop.callLater(Duration.ofHours(1), () -> {
		});

		assertThat(this.loop.pendingTimers()).isEqualTo(1);
	}

	@Test
	void pendingTimersCountsScheduledTimersThatAreNotCancelled() {
		TimerHandle first = this.loop.callLater(Duration.ofHours(1), () -> {
		});
		this.loop.callLater(Duration.ofHours(2), () -> {
		});
		assertThat(this.loop.pendingTimers()).isEqualTo(2);

		first.cancel();
		first.cancel();

		assertThat(this.loop.pendingTimers()).isEqualTo(1);
	}

	@Test
	void manyCancelledFarFutureTimersDoNotAccumulate() throws Exception {
		// A live timer stays at the head of the heap, so only purging can drop the cancelled ones behind it.
		this.loop.callLater(Duration.ofHours(1), () -> {
		});
		for (int i = 0; i < 10_000; i++) {
			this.loop.callLater(Duration.ofHours(2), () -> {
			}).cancel();
		}
		assertThat(this.loop.pendingTimers()).isEqualTo(1);
		assertThat(heapSize(this.loop)).isEqualTo(10_001);

		// One iteration that has to compute a select timeout.
		this.loop.callLater(Duration.ofMillis(1), this.loop::stop);
		runForeverBounded(this.loop);

		assertThat(this.loop.pendingTimers()).isEqualTo(1);
		assertThat(heapSize(this.loop)).isEqualTo(1);
	}

	@Test
	void aTimeoutReArmedOnEveryCallbackDoesNotGrowTheHeap() throws Exception {
		this.loop.callLater(Duration.ofHours(1), () -> {
		});
		int[] maxHeap = new int[1];
		Runnable reArm = new Runnable() {

			private TimerHandle timeout;

			private int count;

			@Override
			public void run() {
				if (this.timeout != null) {
					this.timeout.cancel();
				}
				this.timeout = TimerTests.this.loop.callLater(Duration.ofHours(2), () -> {
				});
				maxHeap[0] = Math.max(maxHeap[0], heapSizeUnchecked(TimerTests.this.loop));
				if (++this.count < 10_000) {
					// Through a timer, so that every iteration computes a select timeout (where purging happens).
					TimerTests.this.loop.callLater(Duration.ZERO, this);
				}
				else {
					TimerTests.this.loop.stop();
				}
			}

		};
		this.loop.callSoon(reArm);

		runForeverBounded(this.loop);

		assertThat(this.loop.pendingTimers()).isEqualTo(2);
		assertThat(maxHeap[0]).isLessThan(1_000);
	}

	@Test
	void hugeDelaysNeverFire() {
		AtomicInteger ran = new AtomicInteger();
		TimerHandle longest = this.loop.callLater(Duration.ofNanos(Long.MAX_VALUE), ran::incrementAndGet);
		TimerHandle forever = this.loop.callLater(ChronoUnit.FOREVER.getDuration(), ran::incrementAndGet);
		assertThat(longest.when()).isGreaterThan(this.loop.time());
		assertThat(forever.when()).isGreaterThan(this.loop.time());

		this.loop.callLater(Duration.ofMillis(5), this.loop::stop);
		runForeverBounded(this.loop);

		assertThat(ran).hasValue(0);
		assertThat(this.loop.pendingTimers()).isEqualTo(2);
	}

	@Test
	void callLaterFromAnotherThreadWhileTheLoopRunsThrows() throws Exception {
		try (RunningLoop running = new RunningLoop("foreign-timer")) {
			SelectorEventLoop loop = running.loop();

			assertThatThrownBy(() -> loop.callLater(Duration.ofMillis(1), () -> {
			})).isInstanceOf(IllegalStateException.class).hasMessageContaining("callSoonThreadsafe");
			assertThatThrownBy(() -> loop.callAt(loop.time(), () -> {
			})).isInstanceOf(IllegalStateException.class).hasMessageContaining("callAt");
			assertThat(running.call(loop::pendingTimers)).isZero();
		}
	}

	@Test
	void timerHandleToStringNamesItsCallback() {
		TimerHandle timer = this.loop.callLater(Duration.ofHours(1), new CallSoonTests.Named("tick"));
		assertThat(timer).hasToString("TimerHandle[tick]");
	}

	static int heapSize(EventLoop loop) throws ReflectiveOperationException {
		Field timersField = io.protoloop.loop.BaseEventLoop.class.getDeclaredField("timers");
		timersField.setAccessible(true);
		Object timers = timersField.get(loop);
		Field heapField = timers.getClass().getDeclaredField("heap");
		heapField.setAccessible(true);
		return ((java.util.PriorityQueue<?>) heapField.get(timers)).size();
	}

	static int heapSizeUnchecked(EventLoop loop) {
		try {
			return heapSize(loop);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
