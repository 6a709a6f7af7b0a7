package io.protoloop.transport.spi;

import java.time.Duration;

import io.protoloop.loop.Deadline;
import io.protoloop.loop.EventLoop;
import io.protoloop.metrics.Guard;
import io.protoloop.transport.TransportSettings;

/**
 * A transport's idle and read timeouts, as a {@link Deadline} the loop watches: a read or a write only stores the
 * loop's time, and the loop's one deadline timer ends the connection once the earlier of the two deadlines has
 * passed. So an idle connection with timeouts holds this object and no timer, and a read costs a clock read.
 * Transports without timeouts have none of this.
 */
final class ActivityTimeouts extends Deadline {

	private final AbstractTransport<?> transport;

	private final long idleNanos;

	private final long readNanos;

	private long lastRead;

	private long lastWrite;

	private ActivityTimeouts(AbstractTransport<?> transport, long idleNanos, long readNanos) {
		this.transport = transport;
		this.idleNanos = idleNanos;
		this.readNanos = readNanos;
	}

	/** Returns the timeouts the settings ask for, or {@code null} when there are none. */
	static ActivityTimeouts of(AbstractTransport<?> transport, TransportSettings settings) {
		long idle = settings.idleTimeout().toNanos();
		long read = settings.readTimeout().toNanos();
		return (idle > 0 || read > 0) ? new ActivityTimeouts(transport, idle, read) : null;
	}

	/** Starts watching, from now. */
	void start() {
		this.lastRead = this.lastWrite = loop().time();
		loop().watch(this);
	}

	void read() {
		this.lastRead = loop().time();
	}

	void wrote() {
		this.lastWrite = loop().time();
	}

	void stop() {
		loop().unwatch(this);
	}

	private EventLoop loop() {
		return this.transport.getLoop();
	}

	private long readDeadline() {
		return (this.readNanos > 0) ? this.lastRead + this.readNanos : Long.MAX_VALUE;
	}

	private long idleDeadline() {
		return (this.idleNanos > 0) ? Math.max(this.lastRead, this.lastWrite) + this.idleNanos : Long.MAX_VALUE;
	}

	@Override
	protected long deadline() {
		return Math.min(readDeadline(), idleDeadline());
	}

	@Override
	protected void expired() {
		if (readDeadline() <= loop().time()) {
			this.transport.guardTripped(Guard.READ_TIMEOUT,
					"Nothing received for " + Duration.ofNanos(this.readNanos) + " (the read timeout)");
		}
		else {
			this.transport.guardTripped(Guard.IDLE_TIMEOUT,
					"Nothing received or sent for " + Duration.ofNanos(this.idleNanos) + " (the idle timeout)");
		}
	}

	@Override
	public String toString() {
		return "ActivityTimeouts[" + this.transport + "]";
	}

}
