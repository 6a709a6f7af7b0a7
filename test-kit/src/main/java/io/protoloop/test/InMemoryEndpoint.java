package io.protoloop.test;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.BaseProtocol;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.PendingWrites;

/**
 * What the in-memory transports add to the shared lifecycle: readiness as a loop callback ({@link #wake()}
 * schedules {@link #poll()} once, as a selector reports a ready channel once), the calls into the protocol that
 * they make themselves, logged by their {@link Driver}, and the transport methods that may call into the protocol
 * run through the driver, so that a test calling them drives the loop.
 * @param <P> the kind of protocol attached
 */
abstract class InMemoryEndpoint<P extends BaseProtocol> extends AbstractTransport<P> {

	private final Driver driver;

	private boolean polling;

	InMemoryEndpoint(EventLoop loop, P protocol, PendingWrites pending, TransportSettings settings,
			ConnectionTracker tracker, SocketAddress localAddress, SocketAddress remoteAddress, Driver driver) {
		super(loop, protocol, pending, settings, tracker, localAddress, remoteAddress);
		this.driver = driver;
	}

	/**
	 * Attaches another protocol; later callbacks go to it (no {@code connectionMade}).
	 * @param protocol the protocol that gets the later callbacks
	 */
	public void setProtocol(P protocol) {
		attach(protocol);
	}

	/** Looks at what the peer did (input, drained writes, a reset); runs in a loop callback of its own. */
	abstract void poll();

	/** Schedules one {@link #poll()}, however often it is called before the poll runs; none once the end is decided. */
	final void wake() {
		if (this.polling || isConnectionLost()) {
			return;
		}
		this.polling = true;
		this.loop.callSoon(() -> {
			this.polling = false;
			if (!isConnectionLost()) {
				poll();
			}
		});
	}

	@Override
	protected void readingChanged(boolean reading) {
		if (reading) {
			wake();
		}
	}

	/** Runs {@code action} through the driver: see {@link Driver#call}. */
	final void run(Runnable action) {
		this.driver.run(action);
	}

	/** Runs {@code action} through the driver and returns its result: see {@link Driver#call}. */
	final <T> T call(Supplier<T> action) {
		return this.driver.call(action);
	}

	/** Calls {@code callback} on the protocol; what it throws is a protocol error, reported and fatal. */
	final void callback(String name, Runnable callback) {
		query(name, () -> {
			callback.run();
			return null;
		});
	}

	/**
	 * Calls {@code callback} on the protocol and returns its result, or {@code null} when it threw: that is a
	 * protocol error, reported and fatal.
	 */
	final <T> T query(String name, Supplier<T> callback) {
		this.driver.called(name);
		try {
			return callback.get();
		}
		catch (Throwable ex) {
			callbackThrew(ex, name);
			return null;
		}
	}

	/**
	 * {@return the callbacks made into the protocol so far, by method name and in order, to assert ordering}
	 */
	public List<String> events() {
		return this.driver.events();
	}

	/**
	 * Moves the loop's virtual clock forward by {@code duration}, running each timer that comes due at its own
	 * time, and what they cause.
	 * @throws IllegalArgumentException if {@code duration} is negative
	 * @param duration how far to move the clock
	 */
	public void advance(Duration duration) {
		this.driver.advance(duration);
	}

	/**
	 * {@return the loop, always present: the test kit runs it}
	 * @deprecated use {@link #getLoop()}; kept from when the loop was created on demand
	 */
	@Deprecated
	public Optional<EventLoop> loop() {
		return Optional.of(getLoop());
	}

	@Override
	public void close() {
		run(super::close);
	}

	@Override
	public void abort() {
		run(super::abort);
	}

	@Override
	public void pauseReading() {
		run(super::pauseReading);
	}

	@Override
	public void resumeReading() {
		run(super::resumeReading);
	}

	@Override
	public void setWriteBufferLimits(int high, int low) {
		run(() -> super.setWriteBufferLimits(high, low));
	}

}
