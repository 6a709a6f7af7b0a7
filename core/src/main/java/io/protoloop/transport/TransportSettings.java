package io.protoloop.transport;

import java.time.Duration;
import java.util.Objects;

import io.protoloop.metrics.TransportRecorder;
import io.protoloop.tls.TlsOptions;

/**
 * What every transport is set up with, whatever created it: shared by the options of servers, connections and
 * datagram endpoints, so a setting added here reaches every kind of transport. The guards (a cap on the write
 * buffer, timeouts) are off by default, as asyncio has none; the Spring Boot starter turns them on.
 * @param writeBufferLimits the watermarks a transport starts with
 * @param recorder told about the transport's events, for metrics
 * @param maxWriteBufferSize the hard cap on the write buffer, above the watermarks: past it the transport is
 * aborted with a {@link GuardException}; negative for none
 * @param idleTimeout how long a connection may neither read nor write before it is closed with a
 * {@link GuardException}; zero for none
 * @param readTimeout how long a connection may receive nothing before it is closed the same way; zero for none
 * @param lingerTimeout how long a stream socket closed by {@code close()} keeps reading and discarding input
 * after sending its end of stream, so unread input does not make the kernel reset the connection (and discard
 * what it has not sent yet); zero closes at once
 * @param tls how stream connections speak TLS, or {@code null} for plain connections (datagram endpoints
 * ignore it)
 */
public record TransportSettings(WriteBufferLimits writeBufferLimits, TransportRecorder recorder,
		long maxWriteBufferSize, Duration idleTimeout, Duration readTimeout, Duration lingerTimeout, TlsOptions tls) {

	/** How long a closed stream socket lingers by default. */
	public static final Duration DEFAULT_LINGER_TIMEOUT = Duration.ofSeconds(10);

	/** The default watermarks (64 KiB / 16 KiB), no metrics, no guards, a 10-second linger. */
	public static final TransportSettings DEFAULT = new TransportSettings(WriteBufferLimits.DEFAULT,
			TransportRecorder.NONE);

	/**
	 * Validates the settings.
	 * @param writeBufferLimits the watermarks a transport starts with
	 * @param recorder told about the transport's events, for metrics
	 * @param maxWriteBufferSize the hard cap on the write buffer, above the watermarks: past it the transport is
	 * aborted with a {@link GuardException}; negative for none
	 * @param idleTimeout how long a connection may neither read nor write before it is closed with a
	 * {@link GuardException}; zero for none
	 * @param readTimeout how long a connection may receive nothing before it is closed the same way; zero for none
	 * @param lingerTimeout how long a stream socket closed by {@code close()} keeps reading and discarding input after
	 * sending its end of stream, so unread input does not make the kernel reset the connection (and discard what it has
	 * not sent yet); zero closes at once
	 * @param tls how stream connections speak TLS, or {@code null} for plain connections (datagram endpoints ignore it)
	 */
	public TransportSettings {
		Objects.requireNonNull(writeBufferLimits, "writeBufferLimits");
		Objects.requireNonNull(recorder, "recorder");
		requireNotNegative(idleTimeout, "idleTimeout");
		requireNotNegative(readTimeout, "readTimeout");
		requireNotNegative(lingerTimeout, "lingerTimeout");
		if (maxWriteBufferSize >= 0 && maxWriteBufferSize < writeBufferLimits.high()) {
			throw new IllegalArgumentException("maxWriteBufferSize (" + maxWriteBufferSize
					+ ") must not be below the high watermark (" + writeBufferLimits.high() + "), or negative for none");
		}
	}

	/**
	 * Settings with the given watermarks and recorder, no guards and the default linger.
	 * @param writeBufferLimits the watermarks a transport starts with
	 * @param recorder told about the transport's events, for metrics
	 */
	public TransportSettings(WriteBufferLimits writeBufferLimits, TransportRecorder recorder) {
		this(writeBufferLimits, recorder, -1, Duration.ZERO, Duration.ZERO, DEFAULT_LINGER_TIMEOUT, null);
	}

	private static void requireNotNegative(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative: " + duration);
		}
	}

	/**
	 * {@return a copy with other starting watermarks}
	 * @param writeBufferLimits the watermarks a transport starts with
	 */
	public TransportSettings withWriteBufferLimits(WriteBufferLimits writeBufferLimits) {
		return new TransportSettings(writeBufferLimits, this.recorder, this.maxWriteBufferSize, this.idleTimeout,
				this.readTimeout, this.lingerTimeout, this.tls);
	}

	/**
	 * {@return a copy that reports to {@code recorder}}
	 * @param recorder told about the transport's events, for metrics
	 */
	public TransportSettings withRecorder(TransportRecorder recorder) {
		return new TransportSettings(this.writeBufferLimits, recorder, this.maxWriteBufferSize, this.idleTimeout,
				this.readTimeout, this.lingerTimeout, this.tls);
	}

	/**
	 * {@return a copy with a hard cap on the write buffer ({@code -1} for none)}
	 * @param maxWriteBufferSize the hard cap on the write buffer, above the watermarks: past it the transport is
	 * aborted with a {@link GuardException}; negative for none
	 */
	public TransportSettings withMaxWriteBufferSize(long maxWriteBufferSize) {
		return new TransportSettings(this.writeBufferLimits, this.recorder, maxWriteBufferSize, this.idleTimeout,
				this.readTimeout, this.lingerTimeout, this.tls);
	}

	/**
	 * {@return a copy with an idle timeout ({@code Duration.ZERO} for none)}
	 * @param idleTimeout how long a connection may neither read nor write before it is closed with a
	 * {@link GuardException}; zero for none
	 */
	public TransportSettings withIdleTimeout(Duration idleTimeout) {
		return new TransportSettings(this.writeBufferLimits, this.recorder, this.maxWriteBufferSize, idleTimeout,
				this.readTimeout, this.lingerTimeout, this.tls);
	}

	/**
	 * {@return a copy with a read timeout ({@code Duration.ZERO} for none)}
	 * @param readTimeout how long a connection may receive nothing before it is closed the same way; zero for none
	 */
	public TransportSettings withReadTimeout(Duration readTimeout) {
		return new TransportSettings(this.writeBufferLimits, this.recorder, this.maxWriteBufferSize, this.idleTimeout,
				readTimeout, this.lingerTimeout, this.tls);
	}

	/**
	 * {@return a copy whose stream connections speak TLS as {@code tls} says ({@code null} for plain)}
	 * @param tls how stream connections speak TLS, or {@code null} for plain connections (datagram endpoints ignore it)
	 */
	public TransportSettings withTls(TlsOptions tls) {
		return new TransportSettings(this.writeBufferLimits, this.recorder, this.maxWriteBufferSize, this.idleTimeout,
				this.readTimeout, this.lingerTimeout, tls);
	}

	/**
	 * {@return a copy with another linger timeout ({@code Duration.ZERO} closes at once)}
	 * @param lingerTimeout how long a stream socket closed by {@code close()} keeps reading and discarding input after
	 * sending its end of stream, so unread input does not make the kernel reset the connection (and discard what it has
	 * not sent yet); zero closes at once
	 */
	public TransportSettings withLingerTimeout(Duration lingerTimeout) {
		return new TransportSettings(this.writeBufferLimits, this.recorder, this.maxWriteBufferSize, this.idleTimeout,
				this.readTimeout, lingerTimeout, this.tls);
	}

}
