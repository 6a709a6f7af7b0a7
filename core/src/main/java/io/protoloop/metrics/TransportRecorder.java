package io.protoloop.metrics;

/**
 * Receives what the transports of one endpoint do, for metrics: a Micrometer implementation lives in the
 * actuator module, in the manner of Reactor Netty's {@code ChannelMetricsRecorder}. One recorder serves every
 * transport of an endpoint, so it sees aggregates, never a connection's identity.
 *
 * <p>Methods are called on loop threads, some on every read and write: implementations must not block, lock or
 * allocate. Every method does nothing by default.
 */
public interface TransportRecorder {

	/** Records nothing. */
	TransportRecorder NONE = new TransportRecorder() {
	};

	/** A transport's connection was made (for a datagram endpoint: the endpoint was opened). */
	default void connectionOpened() {
	}

	/**
	 * A transport's connection ended, after its protocol's {@code connectionLost}.
	 * @param outcome how it ended
	 */
	default void connectionClosed(CloseOutcome outcome) {
	}

	/**
	 * A guard ended or refused a connection: a write buffer over its cap, a timeout, a connection limit.
	 * @param guard which one
	 */
	default void guardTripped(Guard guard) {
	}

	/**
	 * A TLS handshake completed (the application's transport is about to start).
	 * @param durationNanos from the connection's start to the end of the handshake, on the loop's clock
	 */
	default void handshakeCompleted(long durationNanos) {
	}

	/**
	 * A TLS handshake failed; the connection ends.
	 * @param reason why, in a few classes
	 */
	default void handshakeFailed(HandshakeFailure reason) {
	}

	/**
	 * {@code bytes} were read from a stream socket.
	 * @param bytes how many bytes
	 */
	default void bytesReceived(int bytes) {
	}

	/**
	 * {@code bytes} were written to a stream socket.
	 * @param bytes how many bytes
	 */
	default void bytesSent(long bytes) {
	}

	/**
	 * A datagram of {@code bytes} bytes was received.
	 * @param bytes how many bytes
	 */
	default void datagramReceived(int bytes) {
	}

	/**
	 * A datagram of {@code bytes} bytes was sent.
	 * @param bytes how many bytes
	 */
	default void datagramSent(int bytes) {
	}

	/** A datagram endpoint reported an error to its protocol's {@code errorReceived}. */
	default void errorReceived() {
	}

	/**
	 * The protocol was told to pause writing.
	 * @param bufferSize the transport's write-buffer size at that moment
	 */
	default void writingPaused(long bufferSize) {
	}

	/**
	 * The protocol was told to resume writing.
	 * @param pausedNanos how long writing was paused
	 */
	default void writingResumed(long pausedNanos) {
	}

	/**
	 * A connection ended while its protocol's writing was paused: the pause ended without a resume.
	 * @param pausedNanos how long writing was paused
	 */
	default void writingPauseEndedByClose(long pausedNanos) {
	}

	/** The protocol paused reading. */
	default void readingPaused() {
	}

	/**
	 * The protocol resumed reading.
	 * @param pausedNanos how long reading was paused
	 */
	default void readingResumed(long pausedNanos) {
	}

	/**
	 * A connection ended while its reading was paused: the pause ended without a resume.
	 * @param pausedNanos how long reading was paused
	 */
	default void readingPauseEndedByClose(long pausedNanos) {
	}

}
