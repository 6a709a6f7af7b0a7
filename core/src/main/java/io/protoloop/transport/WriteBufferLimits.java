package io.protoloop.transport;

/**
 * The high and low watermarks of write flow control, in bytes. {@code pauseWriting()} fires when the buffer
 * goes strictly over {@code high}; {@code resumeWriting()} when it drains to {@code low} or below.
 * @param high the high watermark, at least 0
 * @param low the low watermark, between 0 and {@code high}
 */
public record WriteBufferLimits(int high, int low) {

	/** The default high watermark: 64 KiB. */
	public static final int DEFAULT_HIGH = 64 * 1024;

	/** The defaults: 64 KiB high, 16 KiB low. */
	public static final WriteBufferLimits DEFAULT = of(DEFAULT_HIGH);

	/**
	 * Validates the marks.
	 * @param high the high watermark, at least 0
	 * @param low the low watermark, between 0 and {@code high}
	 * @throws IllegalArgumentException if a value is negative or {@code low > high}
	 */
	public WriteBufferLimits {
		if (high < 0 || low < 0) {
			throw new IllegalArgumentException(
					"write buffer limits must not be negative: high=" + high + ", low=" + low);
		}
		if (low > high) {
			throw new IllegalArgumentException(
					"write buffer low watermark (" + low + ") must be less than or equal to high (" + high + ")");
		}
	}

	/**
	 * {@return limits with the given high watermark and a low watermark of {@code high / 4}}
	 * @param high the high watermark, at least 0
	 */
	public static WriteBufferLimits of(int high) {
		return new WriteBufferLimits(high, high / 4);
	}

	/**
	 * {@return limits with the given low watermark and a high watermark of {@code 4 * low}} asyncio's
	 * {@code set_write_buffer_limits(low=n)}.
	 * @param low the low watermark, between 0 and {@code high}
	 * @throws IllegalArgumentException if {@code low} is negative or {@code 4 * low} overflows
	 */
	public static WriteBufferLimits ofLow(int low) {
		if (low < 0 || low > Integer.MAX_VALUE / 4) {
			throw new IllegalArgumentException("write buffer low watermark out of range: " + low);
		}
		return new WriteBufferLimits(4 * low, low);
	}

}
