package io.protoloop.loop;

import java.time.Duration;
import java.util.Objects;

/**
 * How an event loop is set up.
 * @param name the loop's name, also its thread's name when run by an {@link EventLoopGroup}
 * @param debug whether debug mode is on from the start: slow callbacks are logged, thread misuse is reported
 * @param slowCallbackDuration in debug mode, callbacks that run longer than this are logged by name
 */
public record LoopOptions(String name, boolean debug, Duration slowCallbackDuration) {

	/** The default slow-callback threshold: 100 ms, as in asyncio. */
	public static final Duration DEFAULT_SLOW_CALLBACK_DURATION = Duration.ofMillis(100);

	/** Validates the options. */
	public LoopOptions {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(slowCallbackDuration, "slowCallbackDuration");
		if (slowCallbackDuration.isNegative()) {
			throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + slowCallbackDuration);
		}
	}

	/** Returns options with the given name, debug mode off and the default slow-callback threshold. */
	public static LoopOptions named(String name) {
		return new LoopOptions(name, false, DEFAULT_SLOW_CALLBACK_DURATION);
	}

	/** Returns a copy with debug mode set. */
	public LoopOptions withDebug(boolean debug) {
		return new LoopOptions(this.name, debug, this.slowCallbackDuration);
	}

	/** Returns a copy with another slow-callback threshold. */
	public LoopOptions withSlowCallbackDuration(Duration slowCallbackDuration) {
		return new LoopOptions(this.name, this.debug, slowCallbackDuration);
	}

	/** Returns a copy with another name. */
	public LoopOptions withName(String name) {
		return new LoopOptions(name, this.debug, this.slowCallbackDuration);
	}

}
