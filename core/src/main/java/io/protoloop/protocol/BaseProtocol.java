package io.protoloop.protocol;

/**
 * Callbacks that every protocol kind shares: the end of the connection and write flow control.
 *
 * <p>All callbacks run on the transport's event-loop thread, one at a time, so a protocol needs no locks.
 * {@code connectionMade} (declared by each protocol kind with its own transport type) is called exactly once
 * per successful connection, {@link #connectionLost} exactly once at its end, and every other callback only
 * between the two.
 *
 * <p>A callback that throws never stops the event loop: the transport reports the exception to the loop's
 * exception handler and is aborted, and the protocol then sees {@code connectionLost(exception)}.
 */
public interface BaseProtocol {

	/**
	 * Called when the connection is lost or closed.
	 * @param exc the cause, or {@code null} for a regular EOF, or when this side closed or aborted
	 */
	default void connectionLost(Throwable exc) {
	}

	/**
	 * Called when the transport's write buffer goes strictly over the high watermark. Followed by exactly one
	 * {@link #resumeWriting()} once the buffer drains to the low watermark or below, unless the connection ends
	 * first: then {@link #connectionLost} comes instead, and no {@code resumeWriting()}.
	 */
	default void pauseWriting() {
	}

	/** Called when the transport's write buffer drains to the low watermark or below after a pause. */
	default void resumeWriting() {
	}

}
