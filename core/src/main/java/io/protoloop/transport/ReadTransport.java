package io.protoloop.transport;

/** The receiving side of a transport, with read flow control. */
public interface ReadTransport extends BaseTransport {

	/** Returns {@code true} if the transport is receiving new data (not paused, not closing). */
	boolean isReading();

	/**
	 * Pauses the receiving end: no data reaches the protocol until {@link #resumeReading()}. Idempotent, also on
	 * a closed transport.
	 */
	void pauseReading();

	/** Resumes the receiving end after {@link #pauseReading()}. Idempotent, also on a closed transport. */
	void resumeReading();

}
