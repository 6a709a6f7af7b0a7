package io.protoloop.bench;

import java.util.Locale;

import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.LoopTransport;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.nio.SelectorEventLoop;

/**
 * The one place the benchmark's Protoloop servers get their event loop: one loop named {@code bench}, doing I/O
 * with the transport the system property {@value #TRANSPORT} names ({@code nio}, the default, or {@code epoll}).
 * The runner sets it to {@code epoll} for the native backend's servers ({@code protoloop-epoll}, ...).
 */
final class BenchLoops {

	/** The system property that picks the loop's transport: {@code nio} (unset) or {@code epoll}. */
	static final String TRANSPORT = "bench.loop.transport";

	private BenchLoops() {
	}

	/**
	 * Returns the transport {@value #TRANSPORT} names; {@link LoopTransport#NIO} when it is unset, so figures stay
	 * comparable with the runs before the native backend.
	 * @throws IllegalArgumentException if it names neither {@code nio} nor {@code epoll}
	 */
	static LoopTransport transport() {
		String value = System.getProperty(TRANSPORT, "nio");
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "nio" -> LoopTransport.NIO;
			case "epoll" -> LoopTransport.EPOLL;
			default -> throw new IllegalArgumentException("-D" + TRANSPORT + "=" + value + ": expected nio or epoll");
		};
	}

	/** Returns why this JVM cannot run a loop on {@link #transport()}, or {@code null} when it can. */
	static String unavailableReason() {
		return SelectorEventLoop.unavailableReason(transport());
	}

	/** Starts the group of one loop the benchmark's servers run on, with {@link #transport()}. */
	static EventLoopGroup group() {
		return new EventLoopGroup(1, LoopOptions.named("bench").withTransport(transport()));
	}

}
