package io.protoloop.boot.diagnostics;

import java.util.Locale;

import io.protoloop.loop.LoopTransport;

/**
 * {@code protoloop.loop.transport} asks for a transport the event loops cannot use in this JVM, such as epoll on
 * Java 17. Thrown before the loops are created; {@link LoopTransportUnavailableFailureAnalyzer} explains it.
 */
public class LoopTransportUnavailableException extends RuntimeException {

	/** The property that asks for the transport. */
	public static final String PROPERTY = "protoloop.loop.transport";

	/** The transport asked for. */
	private final LoopTransport transport;

	/** Why it cannot be used, as core says it. */
	private final String reason;

	/**
	 * @param transport the transport asked for
	 * @param reason why this JVM cannot use it, in a sentence, such as core's
	 * {@code io.protoloop.nio.SelectorEventLoop.unavailableReason}
	 */
	public LoopTransportUnavailableException(LoopTransport transport, String reason) {
		super(PROPERTY + " is " + value(transport) + ", but the event loops cannot use " + value(transport)
				+ " here: " + reason);
		this.transport = transport;
		this.reason = reason;
	}

	/**
	 * {@return the transport asked for}
	 */
	public LoopTransport getTransport() {
		return this.transport;
	}

	/**
	 * {@return why this JVM cannot use the transport}
	 */
	public String getReason() {
		return this.reason;
	}

	private static String value(LoopTransport transport) {
		return transport.name().toLowerCase(Locale.ROOT);
	}

}
