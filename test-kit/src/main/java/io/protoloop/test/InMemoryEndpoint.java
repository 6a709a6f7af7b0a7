package io.protoloop.test;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.BaseProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.ReadTransport;
import io.protoloop.transport.WriteBufferControl;
import io.protoloop.transport.WriteBufferLimits;
import io.protoloop.transport.support.FlowControl;
import io.protoloop.transport.support.PendingWrites;

/**
 * What both in-memory transports share, so they follow the same rules: callbacks with their event log, input
 * held while reading is paused, write flow control (core's {@link FlowControl}) over what the peer has not
 * taken, and the single end of the connection.
 * @param <P> the kind of protocol attached
 */
abstract class InMemoryEndpoint<P extends BaseProtocol> implements ReadTransport, WriteBufferControl {

	private final List<String> events = new ArrayList<>();

	/** Input from the peer not yet delivered, each entry delivering itself. */
	private final ArrayDeque<Runnable> held = new ArrayDeque<>();

	private final PendingWrites pending;

	private final FlowControl flowControl = new FlowControl(WriteBufferLimits.DEFAULT);

	private final SocketAddress localAddress;

	private final SocketAddress remoteAddress;

	private P protocol;

	private EventLoop loop;

	private boolean readingPaused;

	private boolean delivering;

	private boolean closing;

	/** Set when the end is decided, so it happens once; the call itself may wait for a callback to return. */
	private boolean connectionLost;

	private boolean connectionLostDue;

	private Throwable lostWith;

	private int callbackDepth;

	/** Creates an endpoint whose outgoing data is {@code pending}; either address may be {@code null}. */
	InMemoryEndpoint(P protocol, PendingWrites pending, SocketAddress localAddress, SocketAddress remoteAddress) {
		this.protocol = protocol;
		this.pending = pending;
		this.localAddress = localAddress;
		this.remoteAddress = remoteAddress;
	}

	/** Returns the callbacks made into the protocol so far, by method name and in order, to assert ordering. */
	public List<String> events() {
		return List.copyOf(this.events);
	}

	/** Calls back into the protocol; see {@link #query(String, Supplier)}. */
	final void callback(String event, Runnable call) {
		query(event, () -> {
			call.run();
			return null;
		});
	}

	/**
	 * Calls back into the protocol, recorded in {@link #events()} (even if it throws, which propagates). An end of
	 * the connection decided meanwhile calls {@code connectionLost} once the outermost callback returns, as the
	 * loop would in a later callback: the protocol never sees it in the middle of its own code.
	 */
	final <T> T query(String event, Supplier<T> call) {
		this.events.add(event);
		this.callbackDepth++;
		try {
			return call.get();
		}
		finally {
			if (--this.callbackDepth == 0 && this.connectionLostDue) {
				callConnectionLost();
			}
		}
	}

	/** Returns the attached protocol. */
	@Override
	public P getProtocol() {
		return this.protocol;
	}

	/** Attaches another protocol; later callbacks go to it (no {@code connectionMade}). */
	public void setProtocol(P protocol) {
		this.protocol = protocol;
	}

	/** Returns the remote address, or {@code null} when none was given. */
	final SocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	// ---------------------------------------------------------------- reading

	/** Returns {@code true} unless reading is paused or the transport is closing, as a socket transport does. */
	@Override
	public boolean isReading() {
		return !this.readingPaused && !this.closing;
	}

	/** Holds input from the peer until {@link #resumeReading()}; idempotent, also once closing. */
	@Override
	public void pauseReading() {
		if (!this.closing) {
			this.readingPaused = true;
		}
	}

	/** Delivers the input held meanwhile, in order, on the calling thread; idempotent, also once closing. */
	@Override
	public void resumeReading() {
		if (this.closing || !this.readingPaused) {
			return;
		}
		this.readingPaused = false;
		deliverHeld();
	}

	/**
	 * Queues input from the peer behind what is held and delivers what reading allows now. Dropped once the
	 * transport is closing: a closed socket reads no more.
	 */
	final void arrive(Runnable delivery) {
		if (!this.closing) {
			this.held.add(delivery);
			deliverHeld();
		}
	}

	/** Puts the undelivered rest of an input back in front of the queue, where the next delivery takes it. */
	final void holdFirst(Runnable rest) {
		if (!this.closing) {
			this.held.addFirst(rest);
		}
	}

	private void deliverHeld() {
		if (this.delivering) {
			return; // a callback resumed reading: the delivery running below it carries on
		}
		this.delivering = true;
		try {
			while (isReading() && !this.held.isEmpty()) {
				this.held.poll().run();
			}
		}
		finally {
			this.delivering = false;
		}
	}

	// ---------------------------------------------------------------- write flow control

	/** Returns the bytes written (for datagrams: queued, each with its header) and not yet taken by the peer. */
	@Override
	public long getWriteBufferSize() {
		return this.pending.size();
	}

	/** Returns the current watermarks (64 KiB and 16 KiB until set). */
	@Override
	public WriteBufferLimits getWriteBufferLimits() {
		return this.flowControl.limits();
	}

	/** Validates and sets the watermarks, then pauses the protocol if the buffer is already over the new high mark. */
	@Override
	public void setWriteBufferLimits(int high, int low) {
		this.flowControl.setLimits(new WriteBufferLimits(high, low));
		maybePauseWriting();
	}

	/** Calls {@code pauseWriting()} if the pending data just went strictly over the high watermark. */
	final void maybePauseWriting() {
		if (this.flowControl.shouldPause(this.pending.size())) {
			callback("pauseWriting", this.protocol::pauseWriting);
		}
	}

	/**
	 * After the peer took pending data: calls {@code resumeWriting()} if it drained to the low watermark, and
	 * ends a closing connection once nothing is pending. Does nothing once the connection is lost.
	 */
	final void peerTook() {
		if (this.connectionLost) {
			return;
		}
		if (this.flowControl.shouldResume(this.pending.size())) {
			callback("resumeWriting", this.protocol::resumeWriting);
		}
		if (this.closing && this.pending.isEmpty()) {
			connectionLost(null);
		}
	}

	// ---------------------------------------------------------------- closing

	/** Returns {@code true} once {@code close()}, {@code abort()} or the peer ended the connection. */
	@Override
	public boolean isClosing() {
		return this.closing;
	}

	/** Returns {@code true} once the end of the connection is decided, even if {@code connectionLost} waits. */
	final boolean isConnectionLost() {
		return this.connectionLost;
	}

	/**
	 * Stops reading (held input is dropped) and calls {@code connectionLost(null)} once the peer has taken
	 * everything pending: at once if nothing is (called from a protocol callback: once it returns). Idempotent.
	 */
	@Override
	public void close() {
		if (this.closing) {
			return;
		}
		this.closing = true;
		this.held.clear();
		if (this.pending.isEmpty()) {
			connectionLost(null);
		}
	}

	/**
	 * Drops pending and held data and calls {@code connectionLost(null)} at once (called from a protocol
	 * callback: once it returns). Idempotent.
	 */
	public void abort() {
		forceClose(null);
	}

	/** Ends the connection now: drops pending and held data and calls {@code connectionLost(exc)}, once. */
	final void forceClose(Throwable exc) {
		this.closing = true;
		this.held.clear();
		this.pending.clear();
		connectionLost(exc);
	}

	private void connectionLost(Throwable exc) {
		if (this.connectionLost) {
			return;
		}
		this.connectionLost = true;
		this.connectionLostDue = true;
		this.lostWith = exc;
		if (this.callbackDepth == 0) {
			callConnectionLost();
		}
	}

	private void callConnectionLost() {
		this.connectionLostDue = false;
		callback("connectionLost", () -> this.protocol.connectionLost(this.lostWith));
	}

	// ---------------------------------------------------------------- loop and extra info

	/**
	 * Returns an event loop, created on first call and never run by the kit: callbacks the protocol schedules on
	 * it run only when the test runs it (for example {@code loop.runUntilComplete(...)}). The test may close it.
	 */
	@Override
	public EventLoop getLoop() {
		if (this.loop == null) {
			this.loop = new EventLoop("in-memory-transport");
		}
		return this.loop;
	}

	/** Returns the loop if {@link #getLoop()} created one, so a test can close it without creating one. */
	public Optional<EventLoop> loop() {
		return Optional.ofNullable(this.loop);
	}

	/** Returns {@code peername} or {@code sockname} when given at creation, else {@code defaultValue}. */
	@Override
	public Object getExtraInfo(String name, Object defaultValue) {
		Object value = switch (name) {
			case ExtraInfo.PEERNAME -> this.remoteAddress;
			case ExtraInfo.SOCKNAME -> this.localAddress;
			default -> null;
		};
		return (value != null) ? value : defaultValue;
	}

	@Override
	public String toString() {
		String state = this.connectionLost ? "closed" : this.closing ? "closing" : "open";
		return getClass().getSimpleName() + "[" + state + ", local=" + this.localAddress + ", peer="
				+ this.remoteAddress + ", reading=" + isReading() + ", writeBuffer=" + this.pending.size()
				+ (this.flowControl.isPaused() ? ", writing paused" : "") + "]";
	}

}
