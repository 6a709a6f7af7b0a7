package io.protoloop.tls.layer;

import java.time.Duration;

import io.protoloop.loop.EventLoop;

/**
 * How much loop-thread time the {@code SSLEngine}s' delegated tasks took in the current iteration of one loop,
 * shared by all the TLS connections of that loop (one per loop thread). The first task of an iteration schedules
 * the reset with {@code callSoon}, which runs at the start of the next iteration: so the tasks that run inline
 * hold one iteration for at most the budget plus one task, and established connections are served in between.
 */
final class DelegatedTaskBudget {

	private static final ThreadLocal<DelegatedTaskBudget> PER_THREAD = ThreadLocal.withInitial(DelegatedTaskBudget::new);

	private final Runnable reset = this::reset;

	private long spentNanos;

	/** The loop whose next iteration resets the budget, or null when nothing was spent since the last reset. */
	private EventLoop resetBy;

	private DelegatedTaskBudget() {
	}

	/** Returns the budget of {@code loop}, whose thread is the caller's. */
	static DelegatedTaskBudget of(EventLoop loop) {
		DelegatedTaskBudget budget = PER_THREAD.get();
		if (budget.resetBy != null && budget.resetBy != loop) {
			// The thread ran another loop before (tests do): what it spent there does not count here.
			budget.reset();
		}
		return budget;
	}

	/** Returns {@code true} if a task may still run inline in this iteration under {@code budget}. */
	boolean allows(Duration budget) {
		return this.spentNanos < budget.toNanos();
	}

	/** Runs {@code task} on this thread and charges its time to the iteration of {@code loop}. */
	void run(Runnable task, EventLoop loop) {
		if (this.resetBy == null) {
			this.resetBy = loop;
			loop.callSoon(this.reset);
		}
		long start = System.nanoTime();
		try {
			task.run();
		}
		finally {
			this.spentNanos += System.nanoTime() - start;
		}
	}

	private void reset() {
		this.spentNanos = 0;
		this.resetBy = null;
	}

}
