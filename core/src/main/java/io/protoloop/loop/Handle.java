package io.protoloop.loop;

/**
 * A callback scheduled on an event loop, which can be cancelled until it runs. Cancelling from another thread
 * is allowed; the loop skips a cancelled handle at its next look.
 */
public class Handle {

	private final Runnable callback;

	private volatile boolean cancelled;

	Handle(Runnable callback) {
		this.callback = callback;
	}

	/** Prevents the callback from running, if it has not run yet. Idempotent. */
	public void cancel() {
		this.cancelled = true;
	}

	/**
	 * {@return {@code true} if {@link #cancel()} was called}
	 */
	public boolean isCancelled() {
		return this.cancelled;
	}

	final Runnable callback() {
		return this.callback;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.callback + (this.cancelled ? ", cancelled" : "") + "]";
	}

}
