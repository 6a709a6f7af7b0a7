package io.protoloop.loop;

import io.protoloop.metrics.LoopRecorder;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import static io.protoloop.nio.LoopTesting.TIMEOUT;
import static io.protoloop.nio.LoopTesting.join;
import static org.assertj.core.api.Assertions.assertThat;

/** The timer heap on its own: order, lazy removal of cancelled timers, purging and the live count. */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class TimerQueueTests {

	private static final long FAR = TimeUnit.HOURS.toNanos(1);

	private final TimerQueue queue = new TimerQueue();

	@Test
	void emptyQueueHasNoDeadline() {
		assertThat(this.queue.nextDeadline()).isEqualTo(Long.MAX_VALUE);
		assertThat(this.queue.size()).isZero();
	}

	@Test
	void timersComeOutByDeadlineThenBySchedulingOrder() {
		TimerHandle late = this.queue.add(named("late"), 30);
		TimerHandle tieFirst = this.queue.add(named("tie-1"), 20);
		TimerHandle early = this.queue.add(named("early"), 10);
		TimerHandle tieSecond = this.queue.add(named("tie-2"), 20);
		ArrayDeque<Handle> ready = new ArrayDeque<>();

		this.queue.moveExpired(30, Long.MAX_VALUE, ready, LoopRecorder.NONE);

		assertThat(ready).containsExactly(early, tieFirst, tieSecond, late);
		assertThat(this.queue.size()).isZero();
	}

	@Test
	void dueTimersScheduledFromTheSequenceLimitOnWaitForTheNextIteration() {
		this.queue.add(named("old"), 10);
		long limit = this.queue.nextSequence();
		this.queue.add(named("new, due earlier"), 5);
		this.queue.add(named("new"), 10);
		ArrayDeque<Handle> ready = new ArrayDeque<>();

		this.queue.moveExpired(10, limit, ready, LoopRecorder.NONE);

		assertThat(ready).extracting(Handle::callback).containsExactly(named("old"));
		assertThat(this.queue.size()).isEqualTo(2);
		this.queue.moveExpired(10, this.queue.nextSequence(), ready, LoopRecorder.NONE);
		assertThat(ready).extracting(Handle::callback).containsExactly(named("old"), named("new, due earlier"),
				named("new"));
		assertThat(this.queue.size()).isZero();
	}

	@Test
	void moveExpiredTakesOnlyTimersThatAreDue() {
		TimerHandle due = this.queue.add(named("due"), 100);
		this.queue.add(named("not due"), 101);
		ArrayDeque<Handle> ready = new ArrayDeque<>();

		this.queue.moveExpired(100, Long.MAX_VALUE, ready, LoopRecorder.NONE);

		assertThat(ready).containsExactly(due);
		assertThat(this.queue.size()).isEqualTo(1);
		assertThat(this.queue.nextDeadline()).isEqualTo(101);
	}

	@Test
	void nextDeadlineSkipsCancelledTimers() {
		this.queue.add(named("first"), 10).cancel();
		this.queue.add(named("second"), 20);

		assertThat(this.queue.nextDeadline()).isEqualTo(20);

		this.queue.add(named("third"), 5).cancel();
		assertThat(this.queue.nextDeadline()).isEqualTo(20);
	}

	@Test
	void cancelledTimersAreNotMovedToReady() {
		TimerHandle kept = this.queue.add(named("kept"), 1);
		this.queue.add(named("cancelled"), 1).cancel();
		ArrayDeque<Handle> ready = new ArrayDeque<>();

		this.queue.moveExpired(1, Long.MAX_VALUE, ready, LoopRecorder.NONE);

		assertThat(ready).containsExactly(kept);
		assertThat(this.queue.size()).isZero();
		assertThat(heapSize(this.queue)).isZero();
	}

	@Test
	void sizeCountsLiveTimersAndCancelIsIdempotent() {
		TimerHandle first = this.queue.add(named("first"), FAR);
		this.queue.add(named("second"), FAR);

		first.cancel();
		first.cancel();

		assertThat(this.queue.size()).isEqualTo(1);
	}

	@Test
	void cancellingATimerAfterItLeftTheQueueDoesNotChangeTheCount() {
		TimerHandle fired = this.queue.add(named("fired"), 1);
		TimerHandle live = this.queue.add(named("live"), FAR);
		this.queue.moveExpired(1, Long.MAX_VALUE, new ArrayDeque<>(), LoopRecorder.NONE);

		// Already out of the heap (ran, or waiting in the ready queue): nothing left for the queue to drop.
		fired.cancel();

		assertThat(this.queue.size()).isEqualTo(1);
		live.cancel();
		assertThat(this.queue.size()).isZero();
		assertThat(this.queue.nextDeadline()).isEqualTo(Long.MAX_VALUE);
		assertThat(this.queue.size()).isZero();
	}

	@Test
	void manyTimersCancelledAfterTheyFiredDoNotMakeTheQueueRebuildItselfOrMiscount() {
		List<TimerHandle> fired = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			fired.add(this.queue.add(named("fired-" + i), 1));
		}
		this.queue.moveExpired(1, Long.MAX_VALUE, new ArrayDeque<>(), LoopRecorder.NONE);
		fired.forEach(TimerHandle::cancel);
		TimerHandle live = this.queue.add(named("live"), FAR);
		PriorityQueue<?> heap = heap(this.queue);

		assertThat(this.queue.nextDeadline()).isEqualTo(FAR);

		assertThat(this.queue.size()).isEqualTo(1);
		assertThat(heap(this.queue)).as("heap rebuilt although nothing in it was cancelled").isSameAs(heap);
		live.cancel();
		assertThat(this.queue.size()).isZero();
	}

	@Test
	void tenThousandCancelledFarFutureTimersArePurged() {
		TimerHandle head = this.queue.add(named("head"), FAR);
		for (int i = 0; i < 10_000; i++) {
			this.queue.add(named("cancelled-" + i), 2 * FAR + i).cancel();
		}
		assertThat(this.queue.size()).isEqualTo(1);
		assertThat(heapSize(this.queue)).isEqualTo(10_001);

		// The cancelled timers sit behind a live head: only a purge can drop them.
		assertThat(this.queue.nextDeadline()).isEqualTo(FAR);

		assertThat(heapSize(this.queue)).isEqualTo(1);
		assertThat(this.queue.size()).isEqualTo(1);
		ArrayDeque<Handle> ready = new ArrayDeque<>();
		this.queue.moveExpired(3 * FAR, Long.MAX_VALUE, ready, LoopRecorder.NONE);
		assertThat(ready).containsExactly(head);
	}

	@Test
	void aReArmedTimeoutKeepsTheHeapSmall() {
		this.queue.add(named("head"), FAR);
		TimerHandle timeout = null;
		int maxHeap = 0;
		for (int i = 0; i < 10_000; i++) {
			if (timeout != null) {
				timeout.cancel();
			}
			timeout = this.queue.add(named("timeout-" + i), 2 * FAR + i);
			// The loop asks for the next deadline once per iteration.
			this.queue.nextDeadline();
			maxHeap = Math.max(maxHeap, heapSize(this.queue));
		}

		assertThat(this.queue.size()).isEqualTo(2);
		assertThat(maxHeap).isLessThan(1_000);
	}

	@Test
	void fewCancelledTimersAreLeftForLazyRemoval() {
		this.queue.add(named("head"), FAR);
		for (int i = 0; i < 50; i++) {
			this.queue.add(named("cancelled-" + i), 2 * FAR).cancel();
		}

		this.queue.nextDeadline();

		// Below the purge threshold the heap is not rebuilt; the count is still right.
		assertThat(heapSize(this.queue)).isEqualTo(51);
		assertThat(this.queue.size()).isEqualTo(1);
	}

	@Test
	void concurrentCancelsOfTheSameTimersAreCountedOnce() throws Exception {
		List<TimerHandle> timers = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			timers.add(this.queue.add(named("timer-" + i), FAR + i));
		}
		CountDownLatch start = new CountDownLatch(1);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<Thread> cancellers = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			Thread thread = new Thread(() -> {
				try {
					if (start.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
						timers.forEach(TimerHandle::cancel);
					}
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			}, "canceller-" + t);
			thread.start();
			cancellers.add(thread);
		}

		start.countDown();
		for (Thread thread : cancellers) {
			join(thread);
		}

		assertThat(failure.get()).isNull();
		assertThat(this.queue.size()).isZero();
		assertThat(this.queue.nextDeadline()).isEqualTo(Long.MAX_VALUE);
		assertThat(heapSize(this.queue)).isZero();
		assertThat(this.queue.size()).isZero();
	}

	private static Runnable named(String name) {
		return new io.protoloop.nio.CallSoonTests.Named(name);
	}

	static int heapSize(TimerQueue queue) {
		return heap(queue).size();
	}

	private static PriorityQueue<?> heap(TimerQueue queue) {
		try {
			Field heap = TimerQueue.class.getDeclaredField("heap");
			heap.setAccessible(true);
			return (PriorityQueue<?>) heap.get(queue);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("TimerQueue no longer keeps its timers in a 'heap' field", ex);
		}
	}

}
