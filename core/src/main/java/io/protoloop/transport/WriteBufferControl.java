package io.protoloop.transport;

/**
 * Write flow control, shared by stream and datagram transports: when the buffer of data not yet accepted by
 * the operating system goes strictly over the high watermark the protocol's {@code pauseWriting()} is called,
 * and once it drains to the low watermark or below, {@code resumeWriting()}.
 */
public interface WriteBufferControl extends BaseTransport {

	/**
	 * {@return the number of bytes buffered and not yet accepted by the operating system}
	 */
	long getWriteBufferSize();

	/**
	 * {@return the current high and low watermarks}
	 */
	WriteBufferLimits getWriteBufferLimits();

	/**
	 * Sets both watermarks.
	 * @param high the high watermark in bytes, at least 0
	 * @param low the low watermark in bytes, between 0 and {@code high}
	 * @throws IllegalArgumentException if a value is negative or {@code low > high}
	 */
	void setWriteBufferLimits(int high, int low);

	/**
	 * Sets the high watermark; the low watermark becomes {@code high / 4}.
	 * @param high the high watermark in bytes, at least 0 (0 forces low to 0: pause whenever anything is buffered)
	 */
	default void setWriteBufferLimits(int high) {
		setWriteBufferLimits(high, high / 4);
	}

	/**
	 * Sets both watermarks from {@code limits}, for the forms asyncio's {@code set_write_buffer_limits} takes
	 * with keywords: {@link WriteBufferLimits#ofLow(int)} for {@code low=n} alone.
	 * @param limits the high and low watermarks, already validated by {@link WriteBufferLimits}
	 */
	default void setWriteBufferLimits(WriteBufferLimits limits) {
		setWriteBufferLimits(limits.high(), limits.low());
	}

	/** Restores the default watermarks (64 KiB and 16 KiB): asyncio's {@code set_write_buffer_limits()}. */
	default void setWriteBufferLimits() {
		setWriteBufferLimits(WriteBufferLimits.DEFAULT);
	}

}
