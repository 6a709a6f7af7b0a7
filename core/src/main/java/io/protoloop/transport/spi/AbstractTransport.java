package io.protoloop.transport.spi;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.metrics.CloseOutcome;
import io.protoloop.metrics.Guard;
import io.protoloop.protocol.BaseProtocol;
import io.protoloop.protocol.ProtocolLayer;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.GuardException;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.TransportSnapshot;
import io.protoloop.transport.TransportView;
import io.protoloop.transport.WriteBufferLimits;

/**
 * The lifecycle every transport shares, whatever carries its bytes (a socket, a pipe, a TLS layer, the test
 * kit's memory), after CPython's {@code _SelectorTransport} and {@code _FlowControlMixin}:
 * <ul>
 * <li>one way to the end: {@link #close()} waits for the pending writes to drain, every other end goes through
 * {@link #forceClose(Throwable)}, and {@code connectionLost} is called exactly once, in a later callback;</li>
 * <li>one path for errors: {@link #fatalError} for errors of the I/O layer (expected ones, such as a reset by
 * the peer, are logged at debug level only); {@link #protocolError} for exceptions thrown by the protocol
 * callbacks that are fatal to the connection ({@code dataReceived}, {@code eofReceived}, {@code getBuffer},
 * {@code bufferUpdated}); {@link #callbackFailed} for the others ({@code connectionMade},
 * {@code connectionLost}, {@code pauseWriting}, {@code resumeWriting}, {@code datagramReceived},
 * {@code errorReceived}), which are reported and the connection goes on, as in CPython;</li>
 * <li>write flow control that calls the protocol's {@code pauseWriting}/{@code resumeWriting} on the
 * watermark transitions of the pending writes;</li>
 * <li>the guards of {@link TransportSettings}: a hard cap on the pending writes, and idle and read timeouts
 * ({@link #guardTripped});</li>
 * <li>the recorder's accounting, the id, the snapshot and {@code whenClosed} of the public
 * {@link TransportView}.</li>
 * </ul>
 * A subclass moves the bytes: it starts and stops reading in {@link #readingChanged(boolean)}, stops all I/O in
 * {@link #stopIo()}, releases its channel in {@link #releaseResources}, and calls {@link #flushed()} when its
 * pending writes drain. Everything here runs on the transport's loop thread, except where a method says
 * otherwise.
 *
 * <p>Long because it is one state machine with its accounting, after CPython's {@code _SelectorTransport} plus
 * {@code _FlowControlMixin}: every rule here is one every kind of transport must follow, and splitting it would
 * make each transport reassemble the pieces.
 * @param <P> the kind of protocol attached
 */
public abstract class AbstractTransport<P extends BaseProtocol> implements BaseTransport, TransportView {

	private static final System.Logger logger = System.getLogger(AbstractTransport.class.getName());

	/** Writes ignored after the connection ended before a warning is logged, as in asyncio. */
	private static final int WRITES_AFTER_CLOSE_WARNING = 5;

	private static final AtomicLong ids = new AtomicLong();

	/** Where a transport is on its way from open to closed; it only moves forward. */
	private enum State {

		/** Reading and writing. */
		OPEN,
		/** {@code close()} was called: no more reading; pending writes are still flushing. */
		CLOSING,
		/** The end is decided and {@code connectionLost} is scheduled. */
		LOST,
		/** {@code connectionLost} ran and the resources are released. */
		CLOSED

	}

	/** The loop running this transport. */
	protected final EventLoop loop;

	/** What this transport counts and tells its endpoint's recorder. */
	private final TransportAccounting accounting;

	private final PendingWrites pending;

	private final FlowControl flowControl;

	/** The hard cap on the pending writes, or negative for none. */
	private final long maxWriteBufferSize;


	private final ConnectionTracker tracker;

	private final SocketAddress localAddress;

	private SocketAddress remoteAddress;

	private final long id = ids.incrementAndGet();


	private P protocol;

	private volatile State state = State.OPEN;

	private boolean readingPaused;

	private boolean aborted;

	private int ignoredWrites;

	/** Created on demand by {@link #whenClosed()}, so transports nobody waits for carry none. */
	private CompletableFuture<Void> closed;

	/**
	 * Creates a transport; nothing happens until {@link #start}.
	 * @param pending the subclass's outgoing data, which this class sizes and clears
	 * @param settings the starting watermarks and the recorder
	 * @param tracker told when the connection has ended
	 * @param localAddress this end's address, or {@code null}
	 * @param remoteAddress the peer's address, or {@code null}
	 * @param loop the loop the transport runs on
	 * @param protocol the protocol the transport calls back, told {@code connectionMade} by {@link #start}
	 */
	protected AbstractTransport(EventLoop loop, P protocol, PendingWrites pending, TransportSettings settings,
			ConnectionTracker tracker, SocketAddress localAddress, SocketAddress remoteAddress) {
		this.loop = loop;
		this.protocol = protocol;
		this.pending = pending;
		this.flowControl = new FlowControl(settings.writeBufferLimits());
		this.maxWriteBufferSize = settings.maxWriteBufferSize();
		this.accounting = new TransportAccounting(settings.recorder(), ActivityTimeouts.of(this, settings));
		this.tracker = tracker;
		this.localAddress = localAddress;
		this.remoteAddress = remoteAddress;
	}

	// ---------------------------------------------------------------- for subclasses

	/**
	 * Calls the protocol's {@code connectionMade} with this transport (its type depends on the protocol kind).
	 * @param protocol the protocol attached now
	 */
	protected abstract void callConnectionMade(P protocol);

	/**
	 * Starts ({@code true}) or stops delivering input to the protocol: on start, on pause and resume, and on
	 * close. Called with {@code true} only while the transport is open and not paused.
	 * @param reading {@code true} to deliver input, {@code false} to stop
	 */
	protected abstract void readingChanged(boolean reading);

	/** Stops all I/O at once: the connection is being torn down. */
	protected abstract void stopIo();

	/**
	 * Releases the channel and what else the transport holds, once {@code connectionLost} has run, then runs
	 * {@code released} (at once, or later when releasing takes time, as a lingering close does).
	 * @param graceful whether the connection ended by {@code close()} or an end of stream, with no error and no
	 * abort
	 * @param released run once the resources are released
	 */
	protected abstract void releaseResources(boolean graceful, Runnable released);

	/**
	 * {@return {@code false} once the transport can read no more (a stream after EOF)}
	 */
	protected boolean canRead() {
		return true;
	}

	/**
	 * Calls {@code connectionMade} in a loop callback, then, in the next callback, starts reading (unless the
	 * protocol paused reading or closed) and completes {@code made}.
	 * @param made completed once {@code connectionMade} has run
	 */
	public final void start(CompletableFuture<Void> made) {
		this.tracker.connectionStarted(this);
		this.loop.callSoon(() -> {
			this.accounting.opened();
			try {
				callConnectionMade(this.protocol);
			}
			catch (Throwable ex) {
				callbackFailed(ex, "connectionMade");
			}
			// Reading starts in a callback of its own, as in CPython: what connectionMade schedules (a
			// callSoon(transport::pauseReading), say) runs first.
			this.loop.callSoon(() -> {
				if (isReading() && canRead()) {
					readingChanged(true);
				}
				made.complete(null);
			});
		});
	}

	/**
	 * Tells the transport its pending writes drained: a closing transport then ends. Call after
	 * {@link #maybeResumeProtocol()}, which may write more.
	 */
	protected final void flushed() {
		if (this.pending.isEmpty() && this.state == State.CLOSING) {
			connectionLostSoon(null);
		}
	}

	// ---------------------------------------------------------------- protocol

	/** Returns the attached protocol. */
	@Override
	public P getProtocol() {
		return this.protocol;
	}

	/**
	 * Attaches another protocol; later callbacks go to it.
	 * @param protocol the protocol that receives the callbacks from now on
	 */
	protected void attach(P protocol) {
		this.protocol = protocol;
	}

	@Override
	public EventLoop getLoop() {
		return this.loop;
	}

	// ---------------------------------------------------------------- reading

	/**
	 * {@return {@code true} if the transport is receiving (not paused, not closing)}
	 */
	public boolean isReading() {
		return !this.readingPaused && this.state == State.OPEN;
	}

	/** Stops reading until {@link #resumeReading()}; idempotent, also once closing. */
	public void pauseReading() {
		if (this.state != State.OPEN || this.readingPaused) {
			return;
		}
		this.readingPaused = true;
		readingChanged(false);
		this.accounting.readingPaused();
	}

	/** Resumes reading after {@link #pauseReading()}; idempotent, also once closing. */
	public void resumeReading() {
		if (this.state != State.OPEN || !this.readingPaused) {
			return;
		}
		this.readingPaused = false;
		this.accounting.readingResumed();
		if (canRead()) {
			readingChanged(true);
		}
	}

	// ---------------------------------------------------------------- closing

	/** Returns {@code true} if the transport is closing or closed. */
	@Override
	public boolean isClosing() {
		return this.state != State.OPEN;
	}

	/**
	 * {@return {@code true} once the end of the connection is decided ({@code connectionLost} scheduled or run)}
	 */
	protected final boolean isConnectionLost() {
		State current = this.state;
		return current == State.LOST || current == State.CLOSED;
	}

	/** Closes the transport after flushing its pending writes; see {@link BaseTransport#close()}. */
	@Override
	public void close() {
		if (this.state != State.OPEN) {
			return;
		}
		this.state = State.CLOSING;
		readingChanged(false);
		if (this.pending.isEmpty()) {
			connectionLostSoon(null);
		}
	}

	/** Drops pending writes and closes at once; see {@code WriteTransport.abort()}. */
	public void abort() {
		if (!isConnectionLost()) {
			this.aborted = true;
		}
		forceClose(null);
	}

	/**
	 * Reports an error of the I/O layer and aborts the transport. Errors that a network produces in normal
	 * operation ({@link java.io.IOException}s) are logged at debug level; anything else goes to the exception
	 * handler.
	 * @param exc the I/O layer's error; the protocol sees it in {@code connectionLost}
	 * @param message what happened, for the log and the exception
	 */
	protected final void fatalError(Throwable exc, String message) {
		if (exc instanceof java.io.IOException) {
			logger.log(Level.DEBUG, () -> message + ": " + this, exc);
		}
		else {
			this.loop.callExceptionHandler(new ExceptionContext(message, exc, this, this.protocol, null));
		}
		forceClose(exc);
	}

	/**
	 * Reports an exception thrown by a protocol callback that is fatal to the connection to the exception handler
	 * and aborts the transport: the protocol sees {@code connectionLost(exc)}.
	 * @param exc what the callback threw; the protocol sees it in {@code connectionLost}
	 * @param callback the callback's name, such as {@code dataReceived}
	 */
	protected final void protocolError(Throwable exc, String callback) {
		rethrowIfFatal(exc);
		this.loop.callExceptionHandler(new ExceptionContext("Fatal error: protocol." + callback + "() call failed.",
				exc, this, this.protocol, null));
		forceClose(exc);
	}

	/**
	 * Reports an exception thrown by a protocol callback that is not fatal to the connection to the exception
	 * handler; the transport goes on as it was.
	 * @param exc what the callback threw
	 * @param callback the callback's name, such as {@code dataReceived}
	 */
	protected final void callbackFailed(Throwable exc, String callback) {
		rethrowIfFatal(exc);
		this.loop.callExceptionHandler(
				new ExceptionContext("protocol." + callback + "() failed", exc, this, this.protocol, null));
	}

	/**
	 * Reports an exception thrown by the protocol callback named {@code callback} by the rule above: fatal to the
	 * connection for {@code dataReceived}, {@code eofReceived}, {@code getBuffer} and {@code bufferUpdated},
	 * reported and carried on for the others. For transports that call their protocol through one helper.
	 * @param exc what the callback threw
	 * @param callback the callback's name, such as {@code dataReceived}
	 */
	protected final void callbackThrew(Throwable exc, String callback) {
		switch (callback) {
			case "dataReceived", "eofReceived", "getBuffer", "bufferUpdated" -> protocolError(exc, callback);
			default -> callbackFailed(exc, callback);
		}
	}

	private static void rethrowIfFatal(Throwable exc) {
		if (exc instanceof VirtualMachineError error) {
			throw error;
		}
	}

	/**
	 * Ends the connection now: drops pending writes, stops I/O and schedules {@code connectionLost(exc)}.
	 * @param exc passed to {@code connectionLost}: the cause, or {@code null} for a normal close
	 */
	protected final void forceClose(Throwable exc) {
		if (isConnectionLost()) {
			return;
		}
		if (!this.pending.isEmpty()) {
			this.pending.clear();
		}
		stopIo();
		connectionLostSoon(exc);
	}

	/** Schedules the single {@code connectionLost} call; later calls do nothing. */
	private void connectionLostSoon(Throwable exc) {
		if (isConnectionLost()) {
			return;
		}
		this.state = State.LOST;
		this.loop.callSoon(() -> callConnectionLost(exc));
	}

	private void callConnectionLost(Throwable exc) {
		this.accounting.closed(
				(exc != null) ? CloseOutcome.ERROR : this.aborted ? CloseOutcome.ABORTED : CloseOutcome.CLEAN,
				this.flowControl.isPaused(), this.readingPaused);
		try {
			this.protocol.connectionLost(exc);
		}
		catch (Throwable ex) {
			callbackFailed(ex, "connectionLost");
		}
		finally {
			// The server forgets the connection now, as CPython's wait_closed counts connection_lost calls; the
			// view's whenClosed waits until the resources are released (after a lingering close).
			this.tracker.connectionClosed(this);
			releaseResources(exc == null && !this.aborted, this::released);
		}
	}

	private void released() {
		CompletableFuture<Void> waiting;
		synchronized (this) {
			this.state = State.CLOSED;
			waiting = this.closed;
		}
		if (waiting != null) {
			waiting.complete(null);
		}
	}

	/**
	 * Ends the connection because a guard tripped: counts it, and aborts with a {@link GuardException} that the
	 * protocol's {@code connectionLost} receives.
	 * @param guard the guard that tripped
	 * @param message what happened, for the log and the exception
	 */
	protected final void guardTripped(Guard guard, String message) {
		if (isConnectionLost()) {
			return;
		}
		this.accounting.recorder().guardTripped(guard);
		GuardException cause = new GuardException(guard, message + ": " + this);
		logger.log(Level.DEBUG, cause::getMessage);
		forceClose(cause);
	}

	/** Returns a future completed once {@code connectionLost} has run and the resources are released. Any thread. */
	@Override
	public final synchronized CompletableFuture<Void> whenClosed() {
		if (this.closed == null) {
			this.closed = new CompletableFuture<>();
			if (this.state == State.CLOSED) {
				this.closed.complete(null);
			}
		}
		return this.closed.copy();
	}

	/**
	 * {@return {@code true} if a write may go ahead} While open, and while {@code close()} is still flushing (the write
	 * is appended and sent too, as in CPython and uvloop). Once the connection is lost the write is dropped, and a
	 * warning is logged once when there are many: the protocol is probably not watching {@code connectionLost}.
	 */
	protected final boolean acceptsWrites() {
		if (!isConnectionLost()) {
			return true;
		}
		if (++this.ignoredWrites == WRITES_AFTER_CLOSE_WARNING) {
			logger.log(Level.WARNING, () -> "Ignored " + WRITES_AFTER_CLOSE_WARNING
					+ " writes after the connection was lost; further writes are dropped silently: " + this);
		}
		return false;
	}

	// ---------------------------------------------------------------- flow control

	/**
	 * {@return the size of the pending writes, in bytes (datagrams count a header each)}
	 */
	public long getWriteBufferSize() {
		return this.pending.size();
	}

	/**
	 * {@return the watermarks}
	 */
	public WriteBufferLimits getWriteBufferLimits() {
		return this.flowControl.limits();
	}

	/**
	 * Sets the watermarks and pauses the protocol if the buffer is already over the new high mark.
	 * @param high the high watermark, in bytes
	 * @param low the low watermark, in bytes
	 */
	public void setWriteBufferLimits(int high, int low) {
		this.flowControl.setLimits(new WriteBufferLimits(high, low));
		maybePauseProtocol();
	}

	/**
	 * {@return {@code true} while the protocol's writing is paused}
	 */
	public boolean isWritingPaused() {
		return this.flowControl.isPaused();
	}

	/**
	 * Calls {@code pauseWriting()} if the pending writes just went over the high watermark; aborts the transport
	 * if they went over the hard cap. Call after every addition to the pending writes.
	 */
	protected final void maybePauseProtocol() {
		long size = this.pending.size();
		if (this.maxWriteBufferSize >= 0 && size > this.maxWriteBufferSize) {
			writeBufferOverflow(size);
			return;
		}
		if (this.flowControl.shouldPause(size)) {
			this.accounting.writingPaused(size);
			try {
				this.protocol.pauseWriting();
			}
			catch (Throwable ex) {
				callbackFailed(ex, "pauseWriting");
			}
		}
	}

	/**
	 * {@return why {@code more} bytes may not join the pending writes (a {@link GuardException}, counted), or
	 * {@code null} when they fit under the hard cap} For a transport that drops what does not fit instead of aborting,
	 * as a datagram endpoint serving every peer does: one peer's flood must not end the others' service.
	 * @param more how many bytes the caller wants to add
	 */
	protected final GuardException refuseOverCap(long more) {
		if (this.maxWriteBufferSize < 0 || this.pending.size() + more <= this.maxWriteBufferSize) {
			return null;
		}
		this.accounting.recorder().guardTripped(Guard.WRITE_BUFFER_MAX);
		return new GuardException(Guard.WRITE_BUFFER_MAX, "Dropped " + more + " bytes: the write buffer holds "
				+ this.pending.size() + " bytes and its cap is " + this.maxWriteBufferSize + " (maxWriteBufferSize)");
	}

	/** A protocol that ignores {@code pauseWriting()} would buffer without bound: a bug worth reporting. */
	private void writeBufferOverflow(long size) {
		String message = "Write buffer of " + size + " bytes is over its cap of " + this.maxWriteBufferSize
				+ " bytes (maxWriteBufferSize): the protocol kept writing to a peer that does not read; it should "
				+ "stop writing between pauseWriting() and resumeWriting()";
		this.loop.callExceptionHandler(new ExceptionContext(message, null, this, this.protocol, null));
		guardTripped(Guard.WRITE_BUFFER_MAX, message);
	}

	/** Calls {@code resumeWriting()} if the pending writes just drained to the low watermark. */
	protected final void maybeResumeProtocol() {
		if (this.flowControl.shouldResume(this.pending.size())) {
			this.accounting.writingResumed();
			try {
				this.protocol.resumeWriting();
			}
			catch (Throwable ex) {
				callbackFailed(ex, "resumeWriting");
			}
		}
	}

	// ---------------------------------------------------------------- accounting

	/**
	 * Counts {@code bytes} read from a stream.
	 * @param bytes how many bytes
	 */
	protected final void recordRead(int bytes) {
		this.accounting.read(bytes);
	}

	/**
	 * Counts {@code bytes} written to a stream.
	 * @param bytes how many bytes
	 */
	protected final void recordWrite(long bytes) {
		this.accounting.wrote(bytes);
	}

	/**
	 * Counts a datagram of {@code bytes} bytes received.
	 * @param bytes how many bytes
	 */
	protected final void recordDatagramRead(int bytes) {
		this.accounting.datagramRead(bytes);
	}

	/**
	 * Counts a datagram of {@code bytes} bytes sent.
	 * @param bytes how many bytes
	 */
	protected final void recordDatagramWrite(int bytes) {
		this.accounting.datagramWritten(bytes);
	}

	/** Counts a datagram or a receive that failed and went to the protocol's {@code errorReceived}. */
	protected final void recordErrorReceived() {
		this.accounting.recorder().errorReceived();
	}

	// ---------------------------------------------------------------- the public view

	@Override
	public TransportView view() {
		return this;
	}

	@Override
	public final long id() {
		return this.id;
	}

	@Override
	public TransportSnapshot snapshot() {
		return new TransportSnapshot(this.id, this.remoteAddress, this.localAddress,
				this.accounting.age(), this.accounting.bytesReceived(), this.accounting.bytesSent(),
				this.pending.size(), this.flowControl.limits(), this.flowControl.isPaused(), this.readingPaused,
				isClosing());
	}

	@Override
	public BaseTransport applicationTransport() {
		BaseTransport transport = this;
		while (transport.getProtocol() instanceof ProtocolLayer layer && layer.upperTransport() != null) {
			transport = layer.upperTransport();
		}
		return transport;
	}

	/**
	 * Returns {@code peername} or {@code sockname}, even when it is {@code null} (an unconnected endpoint has no
	 * peer: asyncio stores {@code None} and {@code get_extra_info} returns it, not the default); any other key
	 * gives {@code defaultValue}. Subclasses add their keys.
	 */
	@Override
	public Object getExtraInfo(String name, Object defaultValue) {
		return switch (name) {
			case ExtraInfo.PEERNAME -> this.remoteAddress;
			case ExtraInfo.SOCKNAME -> this.localAddress;
			default -> defaultValue;
		};
	}

	/**
	 * {@return the peer's address, or {@code null}}
	 */
	protected final SocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * Replaces the peer's address with the client a proxy in front of this connection named (the PROXY
	 * protocol): {@code peername} and the snapshot then show the real client.
	 * @param client the client's address, from the PROXY header
	 */
	protected final void proxiedFor(SocketAddress client) {
		this.remoteAddress = client;
	}

	@Override
	public String toString() {
		String stateName = switch (this.state) {
			case OPEN -> "open";
			case CLOSING -> "closing";
			case LOST, CLOSED -> "closed";
		};
		return getClass().getSimpleName() + "[" + stateName + ", local=" + this.localAddress + ", peer="
				+ this.remoteAddress + ", reading=" + (isReading() && canRead()) + ", writeBuffer="
				+ this.pending.size() + (this.flowControl.isPaused() ? ", writing paused" : "") + "]";
	}

}
