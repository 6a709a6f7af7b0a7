package io.protoloop.transport;

/** The receiving side of a transport, with read flow control. */
public interface ReadTransport extends BaseTransport {

	/**
	 * {@return {@code true} unless reading is paused or the transport is closing, as asyncio's {@code is_reading()}}
	 * After an end of stream the protocol kept half-open it stays {@code true}, although no more data can come.
	 */
	boolean isReading();

	/**
	 * Pauses the receiving end: no data reaches the protocol until {@link #resumeReading()}. Idempotent, also on
	 * a closed transport.
	 */
	void pauseReading();

	/** Resumes the receiving end after {@link #pauseReading()}. Idempotent, also on a closed transport. */
	void resumeReading();

}
