package io.protoloop.loop;

import io.protoloop.metrics.LoopRecorder;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop's timers: a heap ordered by deadline, then by scheduling order. Cancelled timers are dropped lazily,
 * and the heap is rebuilt when they outnumber the live ones, so code that re-arms a timeout on every read (and
 * cancels the previous one) does not grow it without bound.
 */
final class TimerQueue {

	private static final int MIN_CANCELLED_TO_PURGE = 100;

	private PriorityQueue<TimerHandle> heap = new PriorityQueue<>();

	/** Written by {@link TimerHandle#cancel()}, which may run on any thread. */
	private final AtomicInteger cancelledCount = new AtomicInteger();

	private long sequence;

	/** Due timers scheduled in the current iteration, held aside while the due ones are taken; reused. */
	private final ArrayDeque<TimerHandle> deferred = new ArrayDeque<>();

	TimerHandle add(Runnable callback, long when) {
		TimerHandle timer = new TimerHandle(callback, when, this.sequence++, this);
		this.heap.add(timer);
		return timer;
	}

	void cancelled() {
		this.cancelledCount.incrementAndGet();
	}

	/** Returns the deadline of the first live timer, or {@code Long.MAX_VALUE} if there is none. */
	long nextDeadline() {
		purgeIfMostlyCancelled();
		TimerHandle head;
		while ((head = this.heap.peek()) != null && head.isCancelled()) {
			removed(this.heap.poll());
		}
		return (head != null) ? head.when() : Long.MAX_VALUE;
	}

	/** Returns the sequence number the next timer will get: timers scheduled from now on have it or a later one. */
	long nextSequence() {
		return this.sequence;
	}

	/**
	 * Moves every live timer due at {@code now} and scheduled before {@code sequenceLimit} into {@code ready}, in
	 * deadline order. Later timers wait for the next iteration even if due, as in CPython, where the due timers
	 * are chosen when the loop polls, before the callbacks of the iteration run.
	 */
	void moveExpired(long now, long sequenceLimit, ArrayDeque<Handle> ready, LoopRecorder recorder) {
		TimerHandle head;
		while ((head = this.heap.peek()) != null && head.when() <= now) {
			this.heap.poll();
			if (head.sequence() >= sequenceLimit && !head.isCancelled()) {
				this.deferred.add(head);
				continue;
			}
			removed(head);
			if (!head.isCancelled()) {
				recorder.timerLag(now - head.when());
				ready.add(head);
			}
		}
		TimerHandle later;
		while ((later = this.deferred.poll()) != null) {
			this.heap.add(later);
		}
	}
	int size() {
		return this.heap.size() - this.cancelledCount.get();
	}

	private void purgeIfMostlyCancelled() {
		int cancelled = this.cancelledCount.get();
		if (cancelled > MIN_CANCELLED_TO_PURGE && cancelled * 2 > this.heap.size()) {
			PriorityQueue<TimerHandle> live = new PriorityQueue<>(Math.max(1, this.heap.size() - cancelled));
			for (TimerHandle timer : this.heap) {
				if (timer.isCancelled()) {
					removed(timer);
				}
				else {
					live.add(timer);
				}
			}
			this.heap = live;
		}
	}

	/** Called for each timer taken out of the heap: uncounts it if it was counted as cancelled. */
	private void removed(TimerHandle timer) {
		if (!timer.dequeue()) {
			this.cancelledCount.decrementAndGet();
		}
	}

}
