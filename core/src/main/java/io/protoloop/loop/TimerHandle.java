package io.protoloop.loop;

/** A callback scheduled for a point in time on the loop's clock ({@link EventLoop#time()}). */
public final class TimerHandle extends Handle implements Comparable<TimerHandle> {

	private final long when;

	private final long sequence;

	private final TimerQueue queue;

	TimerHandle(Runnable callback, long when, long sequence, TimerQueue queue) {
		super(callback);
		this.when = when;
		this.sequence = sequence;
		this.queue = queue;
	}

	/** Returns when the callback is due, in nanoseconds on the loop's clock. */
	public long when() {
		return this.when;
	}

	@Override
	public void cancel() {
		if (!isCancelled()) {
			super.cancel();
			this.queue.cancelled();
		}
	}

	@Override
	public int compareTo(TimerHandle other) {
		int byTime = Long.compare(this.when, other.when);
		return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
	}

}
