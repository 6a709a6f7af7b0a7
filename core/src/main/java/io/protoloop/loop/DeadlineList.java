package io.protoloop.loop;

/**
 * A loop's watched {@link Deadline}s: an intrusive list (no node objects) and one timer, set for the earliest
 * deadline but never sooner than {@link Deadline#MAX_LATENESS} after the previous walk, so walking the list
 * costs at most one pass per that period however many deadlines fall together. A walk moves the deadlines that
 * passed to a due chain first and only then calls them, so an {@code expired()} that unwatches another due
 * deadline keeps it from being called. A deadline whose {@code deadline()} throws is reported and unwatched, so it
 * cannot stop the others. Loop-confined.
 */
final class DeadlineList {

	private static final long MAX_LATENESS_NANOS = Deadline.MAX_LATENESS.toNanos();

	private final BaseEventLoop loop;

	private final Runnable walk = this::walk;

	/** The watched deadlines that have not passed, newest first. */
	private Deadline watched;

	/** The deadlines that passed in the current walk, waiting for their {@code expired()} call. */
	private Deadline due;

	private int size;

	private TimerHandle timer;

	private long timerAt = Long.MAX_VALUE;

	/** The next walk runs no sooner than this. */
	private long notBefore = Long.MIN_VALUE;

	DeadlineList(BaseEventLoop loop) {
		this.loop = loop;
	}

	void add(Deadline deadline) {
		if (deadline.list == this) {
			return;
		}
		if (deadline.list != null) {
			throw new IllegalStateException("The deadline is watched by another loop");
		}
		deadline.list = this;
		this.watched = push(this.watched, deadline);
		this.size++;
		schedule(deadline.deadline());
	}

	void remove(Deadline deadline) {
		if (deadline.list != this) {
			return;
		}
		if (deadline.due) {
			this.due = unlink(this.due, deadline);
		}
		else {
			this.watched = unlink(this.watched, deadline);
		}
		deadline.list = null;
		deadline.due = false;
		if (--this.size == 0 && this.timer != null) {
			this.timer.cancel();
			this.timer = null;
			this.timerAt = Long.MAX_VALUE;
		}
	}

	int size() {
		return this.size;
	}

	private void schedule(long when) {
		if (when == Long.MAX_VALUE) {
			return;
		}
		long at = Math.max(when, this.notBefore);
		if (at < this.timerAt) {
			if (this.timer != null) {
				this.timer.cancel();
			}
			this.timer = this.loop.callAt(at, this.walk);
			this.timerAt = at;
		}
	}

	private void walk() {
		this.timer = null;
		this.timerAt = Long.MAX_VALUE;
		long now = this.loop.time();
		this.notBefore = now + MAX_LATENESS_NANOS;
		long next = Long.MAX_VALUE;
		for (Deadline deadline = this.watched, following; deadline != null; deadline = following) {
			following = deadline.next;
			long when;
			try {
				when = deadline.deadline();
			}
			catch (Throwable ex) {
				remove(deadline);
				this.loop.callbackFailed("Exception in deadline (no longer watched)", ex, deadline);
				continue;
			}
			if (when <= now) {
				this.watched = unlink(this.watched, deadline);
				this.due = push(this.due, deadline);
				deadline.due = true;
			}
			else {
				next = Math.min(next, when);
			}
		}
		Deadline expired;
		while ((expired = this.due) != null) {
			remove(expired);
			try {
				expired.expired();
			}
			catch (Throwable ex) {
				this.loop.callbackFailed("Exception in deadline", ex, expired);
			}
		}
		if (this.size > 0) {
			schedule(next);
		}
	}

	private static Deadline push(Deadline head, Deadline deadline) {
		deadline.previous = null;
		deadline.next = head;
		if (head != null) {
			head.previous = deadline;
		}
		return deadline;
	}

	/** Unlinks {@code deadline} from the chain that starts at {@code head}; returns the chain's new head. */
	private static Deadline unlink(Deadline head, Deadline deadline) {
		Deadline previous = deadline.previous;
		Deadline next = deadline.next;
		if (next != null) {
			next.previous = previous;
		}
		deadline.previous = null;
		deadline.next = null;
		if (previous == null) {
			return next;
		}
		previous.next = next;
		return head;
	}

}
