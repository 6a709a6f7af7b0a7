package io.protoloop.tls.layer;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a TLS layer is, after CPython's {@code SSLProtocolState}, with the only transitions allowed: a checked
 * step catches a bug where it happens instead of as a stuck connection later.
 */
enum SslState {

	/** Created, nothing sent yet. */
	UNWRAPPED,

	/** The handshake is in progress. */
	DO_HANDSHAKE,

	/** Application data flows both ways. */
	WRAPPED,

	/** The application closed: what it wrote is being encrypted and sent before close_notify. */
	FLUSHING,

	/** close_notify was sent (or the connection failed): nothing more is encrypted. */
	SHUTDOWN;

	private Set<SslState> next() {
		return switch (this) {
			case UNWRAPPED -> EnumSet.of(DO_HANDSHAKE, SHUTDOWN);
			case DO_HANDSHAKE -> EnumSet.of(WRAPPED, SHUTDOWN);
			case WRAPPED -> EnumSet.of(FLUSHING, SHUTDOWN);
			case FLUSHING -> EnumSet.of(SHUTDOWN);
			case SHUTDOWN -> EnumSet.noneOf(SslState.class);
		};
	}

	/**
	 * Returns {@code to} if this state may move there.
	 * @throws IllegalStateException if it may not
	 */
	SslState moveTo(SslState to) {
		if (!next().contains(to)) {
			throw new IllegalStateException("Cannot switch TLS state from " + this + " to " + to);
		}
		return to;
	}

}
