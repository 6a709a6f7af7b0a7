package io.protoloop.metrics;

/** How a connection ended. */
public enum CloseOutcome {

	/** Closed by either side after its data was flushed ({@code connectionLost(null)} after a close or an EOF). */
	CLEAN,

	/** Ended by an error: a reset, a failed read or write, or an exception thrown by the protocol. */
	ERROR,

	/** Aborted by this side, dropping buffered data (including on loop or application shutdown). */
	ABORTED

}
