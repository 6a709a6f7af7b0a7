package io.protoloop.transport.support;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.LoopResource;
import io.protoloop.loop.SelectorHandler;
import io.protoloop.metrics.CloseOutcome;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.protocol.BaseProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.TransportSnapshot;
import io.protoloop.transport.WriteBufferLimits;

/**
 * What every selector-based transport shares: registration with the loop's selector, the write buffer with
 * flow control, and closing. There is one path to the end of a connection, after CPython's
 * {@code _SelectorTransport}: {@link #close()} waits for the buffer to drain, every other end goes through
 * {@link #forceClose(Throwable)}, and {@code connectionLost} is called exactly once, in a later callback.
 *
 * <p>Errors come in two kinds: {@link #fatalError} for I/O errors (expected ones, such as a reset by the peer,
 * are logged at debug level only) and {@link #protocolError} for exceptions thrown by protocol code, which are
 * always reported to the loop's exception handler. Both abort only this transport.
 */
public abstract class SelectorTransport implements SelectorHandler, LoopResource {

	private static final System.Logger logger = System.getLogger(SelectorTransport.class.getName());

	/** Writes ignored after the connection ended before a warning is logged, as in asyncio. */
	private static final int WRITES_AFTER_CLOSE_WARNING = 5;

	protected final EventLoop loop;

	protected final SelectableChannel channel;

	private final PendingWrites pending;

	private final FlowControl flowControl;

	private final ConnectionTracker tracker;

	private final SocketAddress localAddress;

	private final SocketAddress remoteAddress;

	private SelectionKey key;

	private int interestOps;

	private boolean closing;

	private boolean readingPaused;

	private boolean connectionLost;

	private int ignoredWrites;

	/** Created on demand by {@link #whenClosed()}, so transports nobody waits for carry none. */
	private volatile CompletableFuture<Void> closed;

	private volatile boolean finished;

	/** Told about this transport's events, for the endpoint's metrics. */
	protected final TransportRecorder recorder;

	private static final AtomicLong ids = new AtomicLong();

	private final long id = ids.incrementAndGet();

	private final long createdNanos = System.nanoTime();

	private long bytesReceived;

	private long bytesSent;

	private long writingPausedAt;

	private long readingPausedAt;

	private boolean aborted;

	/**
	 * Registers {@code channel} with the loop (no interest yet). Must run on the loop thread.
	 * @param pending the subclass's outgoing buffer, which this class sizes and clears
	 * @param recorder told about the transport's events
	 * @param tracker told when the connection has ended
	 */
	protected SelectorTransport(EventLoop loop, SelectableChannel channel, PendingWrites pending,
			WriteBufferLimits limits, TransportRecorder recorder, ConnectionTracker tracker) throws IOException {
		this.loop = loop;
		this.recorder = recorder;
		this.channel = channel;
		this.pending = pending;
		this.flowControl = new FlowControl(limits);
		this.tracker = tracker;
		this.localAddress = ((NetworkChannel) channel).getLocalAddress();
		this.remoteAddress = remoteAddress(channel);
		channel.configureBlocking(false);
		this.key = loop.register(channel, 0, this);
		loop.track(this);
	}

	/** Returns the attached protocol. */
	public abstract BaseProtocol getProtocol();

	/** Returns the peer's address, or {@code null} for an unconnected channel or when it cannot be read. */
	private static SocketAddress remoteAddress(SelectableChannel channel) {
		try {
			if (channel instanceof SocketChannel socket) {
				return socket.getRemoteAddress();
			}
			if (channel instanceof DatagramChannel datagram) {
				return datagram.getRemoteAddress();
			}
		}
		catch (IOException ex) {
			// A channel reset before we asked: the address is unknown, as asyncio's 'peername' None.
		}
		return null;
	}

	/** Calls the protocol's {@code connectionMade} with this transport. */
	protected abstract void notifyConnectionMade();

	/** Calls the protocol's {@code connectionLost}. */
	protected abstract void notifyConnectionLost(Throwable exc);

	/** Returns {@code false} once the transport can read no more (a stream after EOF). */
	protected boolean canRead() {
		return true;
	}

	/**
	 * Calls {@code connectionMade}, then starts reading (unless the protocol paused reading or closed), then
	 * completes {@code made}, all in one loop callback.
	 */
	public final void start(CompletableFuture<Void> made) {
		this.loop.callSoon(() -> {
			this.recorder.connectionOpened();
			try {
				notifyConnectionMade();
			}
			catch (Throwable ex) {
				protocolError(ex, "connectionMade");
			}
			if (!this.closing && !this.readingPaused) {
				setInterest(SelectionKey.OP_READ, true);
			}
			made.complete(null);
		});
	}

	// ---------------------------------------------------------------- state

	/** Returns {@code true} if the transport is closing or closed. */
	public boolean isClosing() {
		return this.closing;
	}

	/** Returns {@code true} once the end of the connection has been scheduled. */
	protected final boolean isConnectionLost() {
		return this.connectionLost;
	}

	/** Returns the loop running this transport. */
	public EventLoop getLoop() {
		return this.loop;
	}

	/** Turns an interest in {@code op} on or off, touching the selection key only when it changes. */
	protected final void setInterest(int op, boolean on) {
		int ops = on ? (this.interestOps | op) : (this.interestOps & ~op);
		if (ops != this.interestOps) {
			this.interestOps = ops;
			if (this.key.isValid()) {
				this.key.interestOps(ops);
			}
		}
	}

	/** Returns {@code true} if the transport currently waits for {@code op}. */
	protected final boolean hasInterest(int op) {
		return (this.interestOps & op) != 0;
	}

	// ---------------------------------------------------------------- reading

	/** Returns {@code true} if the transport is receiving (not paused, not closing). */
	public boolean isReading() {
		return !this.readingPaused && !this.closing;
	}

	/** Stops reading until {@link #resumeReading()}; idempotent, also once closing. */
	public void pauseReading() {
		if (this.closing || this.readingPaused) {
			return;
		}
		this.readingPaused = true;
		setInterest(SelectionKey.OP_READ, false);
		this.readingPausedAt = System.nanoTime();
		this.recorder.readingPaused();
	}

	/** Resumes reading after {@link #pauseReading()}; idempotent, also once closing. */
	public void resumeReading() {
		if (this.closing || !this.readingPaused) {
			return;
		}
		this.readingPaused = false;
		if (canRead()) {
			setInterest(SelectionKey.OP_READ, true);
		}
		this.recorder.readingResumed(System.nanoTime() - this.readingPausedAt);
	}

	// ---------------------------------------------------------------- closing

	/** Closes the transport after flushing its buffer; see {@code BaseTransport.close()}. */
	public void close() {
		if (this.closing) {
			return;
		}
		this.closing = true;
		setInterest(SelectionKey.OP_READ, false);
		if (this.pending.isEmpty()) {
			connectionLostSoon(null);
		}
	}

	/** Drops buffered data and closes at once; see {@code WriteTransport.abort()}. */
	public void abort() {
		if (!this.connectionLost) {
			this.aborted = true;
		}
		forceClose(null);
	}

	@Override
	public void closeWithLoop() {
		abort();
	}

	/**
	 * Reports an I/O error and aborts the transport. Errors that a network produces in normal operation are
	 * logged at debug level; anything else goes to the exception handler.
	 */
	protected final void fatalError(Throwable exc, String message) {
		if (exc instanceof IOException) {
			logger.log(Level.DEBUG, () -> message + ": " + this, exc);
		}
		else {
			this.loop.callExceptionHandler(new ExceptionContext(message, exc, this, getProtocol(), null));
		}
		forceClose(exc);
	}

	/** Reports an exception thrown by protocol code to the exception handler and aborts the transport. */
	protected final void protocolError(Throwable exc, String callback) {
		if (exc instanceof VirtualMachineError error) {
			throw error;
		}
		this.loop.callExceptionHandler(new ExceptionContext("Fatal error: protocol." + callback + "() call failed.",
				exc, this, getProtocol(), null));
		forceClose(exc);
	}

	/** Ends the connection now: drops the buffer, stops I/O and schedules {@code connectionLost(exc)}. */
	protected final void forceClose(Throwable exc) {
		if (this.connectionLost) {
			return;
		}
		if (!this.pending.isEmpty()) {
			this.pending.clear();
		}
		this.closing = true;
		setInterest(this.interestOps, false);
		connectionLostSoon(exc);
	}

	/** Schedules the single {@code connectionLost} call; later calls do nothing. */
	protected final void connectionLostSoon(Throwable exc) {
		if (this.connectionLost) {
			return;
		}
		this.connectionLost = true;
		this.loop.callSoon(() -> callConnectionLost(exc));
	}

	private void callConnectionLost(Throwable exc) {
		recordPausesEndedByClose();
		this.recorder.connectionClosed(
				(exc != null) ? CloseOutcome.ERROR : this.aborted ? CloseOutcome.ABORTED : CloseOutcome.CLEAN);
		try {
			notifyConnectionLost(exc);
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			this.loop.callExceptionHandler(new ExceptionContext("Exception in protocol.connectionLost()", ex, this,
					getProtocol(), null));
		}
		finally {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, () -> "Error closing " + this, ex);
			}
			this.loop.untrack(this);
			this.tracker.connectionClosed(this);
			this.finished = true;
			CompletableFuture<Void> waiting = this.closed;
			if (waiting != null) {
				waiting.complete(null);
			}
		}
	}

	/**
	 * Returns a future completed once {@code connectionLost} has run and the channel is closed. May be called
	 * from any thread.
	 */
	public final synchronized CompletableFuture<Void> whenClosed() {
		if (this.closed == null) {
			this.closed = new CompletableFuture<>();
			if (this.finished) {
				this.closed.complete(null);
			}
		}
		return this.closed.copy();
	}

	/**
	 * Counts a write that arrived after the transport began closing, and warns once when there are many: the
	 * protocol is probably not watching {@code connectionLost}.
	 */
	protected final void ignoreWrite() {
		if (++this.ignoredWrites == WRITES_AFTER_CLOSE_WARNING) {
			logger.log(Level.WARNING, () -> "Ignored " + WRITES_AFTER_CLOSE_WARNING
					+ " writes after close(); further writes are dropped silently: " + this);
		}
	}

	// ---------------------------------------------------------------- flow control

	/** Returns the number of buffered bytes. */
	public long getWriteBufferSize() {
		return this.pending.size();
	}

	/** Returns the watermarks. */
	public WriteBufferLimits getWriteBufferLimits() {
		return this.flowControl.limits();
	}

	/** Sets the watermarks and pauses the protocol if the buffer is already over the new high mark. */
	public void setWriteBufferLimits(int high, int low) {
		this.flowControl.setLimits(new WriteBufferLimits(high, low));
		maybePauseProtocol();
	}

	/** Returns {@code true} while the protocol's writing is paused. */
	public boolean isWritingPaused() {
		return this.flowControl.isPaused();
	}

	/** Calls {@code pauseWriting()} if the buffer just went over the high watermark. */
	protected final void maybePauseProtocol() {
		if (this.flowControl.shouldPause(this.pending.size())) {
			this.writingPausedAt = System.nanoTime();
			this.recorder.writingPaused(this.pending.size());
			try {
				getProtocol().pauseWriting();
			}
			catch (Throwable ex) {
				protocolError(ex, "pauseWriting");
			}
		}
	}

	/** Calls {@code resumeWriting()} if the buffer just drained to the low watermark. */
	protected final void maybeResumeProtocol() {
		if (this.flowControl.shouldResume(this.pending.size())) {
			this.recorder.writingResumed(System.nanoTime() - this.writingPausedAt);
			try {
				getProtocol().resumeWriting();
			}
			catch (Throwable ex) {
				protocolError(ex, "resumeWriting");
			}
		}
	}

	// ---------------------------------------------------------------- accounting

	/** Slow readers often leave paused: their pauses count toward the time paused too. */
	private void recordPausesEndedByClose() {
		long now = System.nanoTime();
		if (this.flowControl.isPaused()) {
			this.recorder.writingPauseEndedByClose(now - this.writingPausedAt);
		}
		if (this.readingPaused) {
			this.recorder.readingPauseEndedByClose(now - this.readingPausedAt);
		}
	}

	/** Counts {@code bytes} read from a stream socket. */
	protected final void recordRead(int bytes) {
		this.bytesReceived += bytes;
		this.recorder.bytesReceived(bytes);
	}

	/** Counts {@code bytes} written to a stream socket. */
	protected final void recordWrite(long bytes) {
		this.bytesSent += bytes;
		this.recorder.bytesSent(bytes);
	}

	/** Counts a datagram of {@code bytes} bytes received. */
	protected final void recordDatagramRead(int bytes) {
		this.bytesReceived += bytes;
		this.recorder.datagramReceived(bytes);
	}

	/** Counts a datagram of {@code bytes} bytes sent. */
	protected final void recordDatagramWrite(int bytes) {
		this.bytesSent += bytes;
		this.recorder.datagramSent(bytes);
	}

	/** Returns a number unique to this transport within the process, for operators to name a connection. */
	public final long id() {
		return this.id;
	}

	/** Returns this transport's state now; call on the loop thread. */
	public TransportSnapshot snapshot() {
		return new TransportSnapshot(this.id, this.remoteAddress, this.localAddress,
				Duration.ofNanos(System.nanoTime() - this.createdNanos), this.bytesReceived, this.bytesSent,
				this.pending.size(), this.flowControl.limits(), this.flowControl.isPaused(), this.readingPaused,
				this.closing);
	}

	// ---------------------------------------------------------------- extra info

	/** Returns {@code peername}, {@code sockname} or {@code socket}, else {@code defaultValue}. */
	public Object getExtraInfo(String name, Object defaultValue) {
		Object value = switch (name) {
			case ExtraInfo.PEERNAME -> this.remoteAddress;
			case ExtraInfo.SOCKNAME -> this.localAddress;
			case ExtraInfo.SOCKET -> this.channel;
			default -> null;
		};
		return (value != null) ? value : defaultValue;
	}

	@Override
	public String toString() {
		String state = this.connectionLost ? "closed" : this.closing ? "closing" : "open";
		return getClass().getSimpleName() + "[" + state + ", local=" + this.localAddress + ", peer="
				+ this.remoteAddress + ", reading=" + hasInterest(SelectionKey.OP_READ) + ", writeBuffer="
				+ this.pending.size() + (this.flowControl.isPaused() ? ", writing paused" : "") + "]";
	}

}
