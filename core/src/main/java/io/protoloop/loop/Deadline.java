package io.protoloop.loop;

import java.time.Duration;

/**
 * A deadline the loop watches without a timer of its own: the loop keeps its watched deadlines in one list and
 * checks them with one timer, so ten thousand idle connections with a timeout cost ten thousand list links, not
 * ten thousand timers re-armed on every read. A subclass answers {@link #deadline()} from its own fields (a
 * read only stores the time) and acts in {@link #expired()}.
 *
 * <p>A deadline may move later between checks without telling the loop; it must not move earlier while
 * watched (unwatch and watch it again for that). {@code expired()} runs at the deadline when few deadlines fall
 * close together, and at most {@link #MAX_LATENESS} after it when many do, which bounds how often the loop walks
 * the list. Loop-confined: {@link EventLoop#watch} and {@link EventLoop#unwatch} are called on the loop thread.
 */
public abstract class Deadline {

	/** How late {@link #expired()} may run when many deadlines fall close together: 100 ms. */
	public static final Duration MAX_LATENESS = Duration.ofMillis(100);

	/** The list this is in, or {@code null} when not watched. */
	DeadlineList list;

	/** Whether this has passed and waits, in the list's due chain, for its {@code expired()} call. */
	boolean due;

	Deadline previous;

	Deadline next;

	/** Creates an unwatched deadline. */
	protected Deadline() {
	}

	/**
	 * {@return the loop time ({@link EventLoop#time()}) at which this expires} {@code Long.MAX_VALUE} means never.
	 * Called on the loop thread whenever the loop checks its deadlines; if it throws, the error goes to the loop's
	 * exception handler and the deadline is no longer watched.
	 */
	protected abstract long deadline();

	/**
	 * Runs on the loop thread once the loop's time has reached {@link #deadline()}; the deadline is no longer
	 * watched. What it throws goes to the loop's exception handler.
	 */
	protected abstract void expired();

	/** {@return whether a loop watches this deadline} */
	public final boolean isWatched() {
		return this.list != null;
	}

}
