package io.protoloop.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A callback scheduled for a point in time on the loop's clock ({@link EventLoop#time()}). */
public final class TimerHandle extends Handle implements Comparable<TimerHandle> {

	/** In the queue's heap, live. */
	private static final int QUEUED = 0;

	/** In the queue's heap, cancelled, and counted by the queue as such. */
	private static final int CANCELLED_IN_QUEUE = 1;

	/** Taken out of the heap (due, dropped or purged): the queue no longer counts it. */
	private static final int DEQUEUED = 2;

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(TimerHandle.class, "state", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final long when;

	private final long sequence;

	private final TimerQueue queue;

	/** Changed atomically, as cancel() may run on any thread while the loop takes the timer out of the heap. */
	private volatile int state = QUEUED;

	TimerHandle(Runnable callback, long when, long sequence, TimerQueue queue) {
		super(callback);
		this.when = when;
		this.sequence = sequence;
		this.queue = queue;
	}

	/** Returns the order in which the timer was scheduled on its loop. */
	long sequence() {
		return this.sequence;
	}

	/**
	 * {@return when the callback is due, in nanoseconds on the loop's clock}
	 */
	public long when() {
		return this.when;
	}

	@Override
	public void cancel() {
		super.cancel();
		// Counted once, and only while in the heap: a timer that already left it (ran, or is waiting in the
		// ready queue) has nothing left for the queue to drop.
		if (STATE.compareAndSet(this, QUEUED, CANCELLED_IN_QUEUE)) {
			this.queue.cancelled();
		}
	}

	/**
	 * Marks the timer as taken out of the heap. Returns {@code false} if it had been counted as cancelled, so the
	 * queue must uncount it.
	 */
	boolean dequeue() {
		return (int) STATE.getAndSet(this, DEQUEUED) != CANCELLED_IN_QUEUE;
	}

	@Override
	public int compareTo(TimerHandle other) {
		int byTime = Long.compare(this.when, other.when);
		return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
	}

}
