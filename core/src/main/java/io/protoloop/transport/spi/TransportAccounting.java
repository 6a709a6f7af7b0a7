package io.protoloop.transport.spi;

import java.time.Duration;

import io.protoloop.metrics.CloseOutcome;
import io.protoloop.metrics.TransportRecorder;

/**
 * What one transport counts, and tells its endpoint's recorder: bytes and datagrams each way, when flow control
 * paused and for how long, how the connection ended; it also tells the idle and read timeouts about activity.
 * Loop-confined.
 */
final class TransportAccounting {

	private final TransportRecorder recorder;

	/** The idle and read timeouts, or {@code null} when there are none (the common case costs a null check). */
	private final ActivityTimeouts timeouts;

	private final long createdNanos = System.nanoTime();

	private long bytesReceived;

	private long bytesSent;

	private long writingPausedAt;

	private long readingPausedAt;

	TransportAccounting(TransportRecorder recorder, ActivityTimeouts timeouts) {
		this.recorder = recorder;
		this.timeouts = timeouts;
	}

	TransportRecorder recorder() {
		return this.recorder;
	}

	void opened() {
		this.recorder.connectionOpened();
		if (this.timeouts != null) {
			this.timeouts.start();
		}
	}

	/** The connection ended; pauses still on count toward the time paused (slow readers often leave paused). */
	void closed(CloseOutcome outcome, boolean writingPaused, boolean readingPaused) {
		if (this.timeouts != null) {
			this.timeouts.stop();
		}
		long now = System.nanoTime();
		if (writingPaused) {
			this.recorder.writingPauseEndedByClose(now - this.writingPausedAt);
		}
		if (readingPaused) {
			this.recorder.readingPauseEndedByClose(now - this.readingPausedAt);
		}
		this.recorder.connectionClosed(outcome);
	}

	void read(int bytes) {
		this.bytesReceived += bytes;
		this.recorder.bytesReceived(bytes);
		if (this.timeouts != null) {
			this.timeouts.read();
		}
	}

	void wrote(long bytes) {
		this.bytesSent += bytes;
		this.recorder.bytesSent(bytes);
		if (this.timeouts != null && bytes > 0) {
			this.timeouts.wrote();
		}
	}

	void datagramRead(int bytes) {
		this.bytesReceived += bytes;
		this.recorder.datagramReceived(bytes);
		if (this.timeouts != null) {
			this.timeouts.read();
		}
	}

	void datagramWritten(int bytes) {
		this.bytesSent += bytes;
		this.recorder.datagramSent(bytes);
		if (this.timeouts != null) {
			this.timeouts.wrote();
		}
	}

	void writingPaused(long bufferSize) {
		this.writingPausedAt = System.nanoTime();
		this.recorder.writingPaused(bufferSize);
	}

	void writingResumed() {
		this.recorder.writingResumed(System.nanoTime() - this.writingPausedAt);
	}

	void readingPaused() {
		this.readingPausedAt = System.nanoTime();
		this.recorder.readingPaused();
	}

	void readingResumed() {
		this.recorder.readingResumed(System.nanoTime() - this.readingPausedAt);
	}

	long bytesReceived() {
		return this.bytesReceived;
	}

	long bytesSent() {
		return this.bytesSent;
	}

	Duration age() {
		return Duration.ofNanos(System.nanoTime() - this.createdNanos);
	}

}
