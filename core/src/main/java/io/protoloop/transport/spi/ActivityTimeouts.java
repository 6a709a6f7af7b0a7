package io.protoloop.transport.spi;

import java.time.Duration;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.TimerHandle;
import io.protoloop.metrics.Guard;
import io.protoloop.transport.TransportSettings;

/**
 * A transport's idle and read timeouts. A read or a write only stores the loop's time; one timer per transport,
 * set for the earliest deadline, looks at those times when it fires and either ends the connection or sets
 * itself for the new deadline, so the cost is a clock read per read or write and one timer per timeout period,
 * never a timer per read. Transports without timeouts have none of this.
 */
final class ActivityTimeouts {

	private final AbstractTransport<?> transport;

	private final EventLoop loop;

	private final long idleNanos;

	private final long readNanos;

	private long lastRead;

	private long lastWrite;

	private TimerHandle timer;

	private ActivityTimeouts(AbstractTransport<?> transport, EventLoop loop, long idleNanos, long readNanos) {
		this.transport = transport;
		this.loop = loop;
		this.idleNanos = idleNanos;
		this.readNanos = readNanos;
	}

	/** Returns the timeouts the settings ask for, or {@code null} when there are none. */
	static ActivityTimeouts of(AbstractTransport<?> transport, EventLoop loop, TransportSettings settings) {
		long idle = settings.idleTimeout().toNanos();
		long read = settings.readTimeout().toNanos();
		return (idle > 0 || read > 0) ? new ActivityTimeouts(transport, loop, idle, read) : null;
	}

	/** Starts watching, from now. */
	void start() {
		this.lastRead = this.lastWrite = this.loop.time();
		arm();
	}

	void read() {
		this.lastRead = this.loop.time();
	}

	void wrote() {
		this.lastWrite = this.loop.time();
	}

	void stop() {
		if (this.timer != null) {
			this.timer.cancel();
			this.timer = null;
		}
	}

	private long readDeadline() {
		return (this.readNanos > 0) ? this.lastRead + this.readNanos : Long.MAX_VALUE;
	}

	private long idleDeadline() {
		return (this.idleNanos > 0) ? Math.max(this.lastRead, this.lastWrite) + this.idleNanos : Long.MAX_VALUE;
	}

	private void arm() {
		this.timer = this.loop.callAt(Math.min(readDeadline(), idleDeadline()), this::check);
	}

	private void check() {
		long now = this.loop.time();
		if (now - readDeadline() >= 0) {
			this.transport.guardTripped(Guard.READ_TIMEOUT,
					"Nothing received for " + Duration.ofNanos(this.readNanos) + " (the read timeout)");
		}
		else if (now - idleDeadline() >= 0) {
			this.transport.guardTripped(Guard.IDLE_TIMEOUT,
					"Nothing received or sent for " + Duration.ofNanos(this.idleNanos) + " (the idle timeout)");
		}
		else {
			arm();
		}
	}

}
