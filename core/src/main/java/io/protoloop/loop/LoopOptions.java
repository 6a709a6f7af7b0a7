package io.protoloop.loop;

import java.time.Duration;
import java.util.Objects;

/**
 * How an event loop is set up.
 * @param name the loop's name, also its thread's name when run by an {@code EventLoopGroup}
 * @param debug whether debug mode is on from the start: slow callbacks are logged
 * @param slowCallbackDuration callbacks that run longer than this count as slow (and are logged in debug mode)
 * @param clock the clock timers run on: {@link LoopClock#SYSTEM}, or a {@link VirtualClock} in tests
 * @param transport how the loop does I/O: {@link LoopTransport#AUTO} (the default) picks epoll where it can
 */
public record LoopOptions(String name, boolean debug, Duration slowCallbackDuration, LoopClock clock,
		LoopTransport transport) {

	/** The default slow-callback threshold: 100 ms, as in asyncio. */
	public static final Duration DEFAULT_SLOW_CALLBACK_DURATION = Duration.ofMillis(100);

	/**
	 * Validates the options.
	 * @param name the loop's name, also its thread's name when run by an {@code EventLoopGroup}
	 * @param debug whether debug mode is on from the start: slow callbacks are logged
	 * @param slowCallbackDuration callbacks that run longer than this count as slow (and are logged in debug mode)
	 * @param clock the clock timers run on: {@link LoopClock#SYSTEM}, or a {@link VirtualClock} in tests
	 * @param transport how the loop does I/O: {@link LoopTransport#AUTO} (the default) picks epoll where it can
	 */
	public LoopOptions {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(slowCallbackDuration, "slowCallbackDuration");
		Objects.requireNonNull(clock, "clock");
		Objects.requireNonNull(transport, "transport");
		if (slowCallbackDuration.isNegative()) {
			throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + slowCallbackDuration);
		}
	}

	/**
	 * Options with the automatic transport.
	 * @param name the loop's name, also its thread's name when run by an {@code EventLoopGroup}
	 * @param debug whether debug mode is on from the start: slow callbacks are logged
	 * @param slowCallbackDuration callbacks that run longer than this count as slow (and are logged in debug mode)
	 * @param clock the clock timers run on: {@link LoopClock#SYSTEM}, or a {@link VirtualClock} in tests
	 */
	public LoopOptions(String name, boolean debug, Duration slowCallbackDuration, LoopClock clock) {
		this(name, debug, slowCallbackDuration, clock, LoopTransport.AUTO);
	}

	/**
	 * Options with the system clock.
	 * @param name the loop's name, also its thread's name when run by an {@code EventLoopGroup}
	 * @param debug whether debug mode is on from the start: slow callbacks are logged
	 * @param slowCallbackDuration callbacks that run longer than this count as slow (and are logged in debug mode)
	 */
	public LoopOptions(String name, boolean debug, Duration slowCallbackDuration) {
		this(name, debug, slowCallbackDuration, LoopClock.SYSTEM);
	}

	/**
	 * {@return options with the given name, debug mode off, the default slow-callback threshold, the system clock}
	 * @param name the loop's name, also its thread's name when run by an {@code EventLoopGroup}
	 */
	public static LoopOptions named(String name) {
		return new LoopOptions(name, false, DEFAULT_SLOW_CALLBACK_DURATION);
	}

	/**
	 * {@return a copy with debug mode set}
	 * @param debug whether debug mode is on from the start: slow callbacks are logged
	 */
	public LoopOptions withDebug(boolean debug) {
		return new LoopOptions(this.name, debug, this.slowCallbackDuration, this.clock, this.transport);
	}

	/**
	 * {@return a copy with another slow-callback threshold}
	 * @param slowCallbackDuration callbacks that run longer than this count as slow (and are logged in debug mode)
	 */
	public LoopOptions withSlowCallbackDuration(Duration slowCallbackDuration) {
		return new LoopOptions(this.name, this.debug, slowCallbackDuration, this.clock, this.transport);
	}

	/**
	 * {@return a copy with another name}
	 * @param name the loop's name, also its thread's name when run by an {@code EventLoopGroup}
	 */
	public LoopOptions withName(String name) {
		return new LoopOptions(name, this.debug, this.slowCallbackDuration, this.clock, this.transport);
	}

	/**
	 * {@return a copy whose timers run on {@code clock}}
	 * @param clock the clock timers run on: {@link LoopClock#SYSTEM}, or a {@link VirtualClock} in tests
	 */
	public LoopOptions withClock(LoopClock clock) {
		return new LoopOptions(this.name, this.debug, this.slowCallbackDuration, clock, this.transport);
	}

	/**
	 * {@return a copy that does I/O with {@code transport}}
	 * @param transport how the loop does I/O: {@link LoopTransport#AUTO} (the default) picks epoll where it can
	 */
	public LoopOptions withTransport(LoopTransport transport) {
		return new LoopOptions(this.name, this.debug, this.slowCallbackDuration, this.clock, transport);
	}

}
