package io.protoloop.metrics;

import java.util.concurrent.atomic.LongAdder;


/**
 * Running totals of one endpoint, always kept: connections opened and closed, bytes and datagrams each way,
 * errors, guards tripped, TLS handshakes completed and failed, and flow-control pauses and resumes with the time spent paused. Every transport of the endpoint
 * reports here; {@link LongAdder}s keep the hot path free of locks and allocation, and readers on other threads
 * (the actuator endpoint, metrics) see the totals without stopping the loops.
 *
 * <p>Flow-control events, which are rare, are also passed to {@code flowRecorder}, so a metrics library can
 * record their distributions; it is told first, so a reader who sees a count has the distribution too.
 */
public final class EndpointStatistics implements TransportRecorder {

	private final TransportRecorder flowRecorder;

	private final LongAdder opened = new LongAdder();

	private final LongAdder[] closed = { new LongAdder(), new LongAdder(), new LongAdder() };

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final LongAdder datagramsReceived = new LongAdder();

	private final LongAdder datagramsSent = new LongAdder();

	private final LongAdder errorsReceived = new LongAdder();

	/** Guards tripped, indexed by {@link Guard#ordinal()}. */
	private final LongAdder[] guards = new LongAdder[Guard.values().length];

	private final LongAdder handshakesCompleted = new LongAdder();

	/** Handshakes failed, indexed by {@link HandshakeFailure#ordinal()}. */
	private final LongAdder[] handshakesFailed = new LongAdder[HandshakeFailure.values().length];

	private final LongAdder writePauses = new LongAdder();

	private final LongAdder writeResumes = new LongAdder();

	private final LongAdder readPauses = new LongAdder();

	private final LongAdder readResumes = new LongAdder();

	private final LongAdder writePausedNanos = new LongAdder();

	private final LongAdder readPausedNanos = new LongAdder();

	/** @param flowRecorder also told about connections, guards, handshakes and flow-control events */
	public EndpointStatistics(TransportRecorder flowRecorder) {
		this.flowRecorder = flowRecorder;
		for (int i = 0; i < this.guards.length; i++) {
			this.guards[i] = new LongAdder();
		}
		for (int i = 0; i < this.handshakesFailed.length; i++) {
			this.handshakesFailed[i] = new LongAdder();
		}
	}

	@Override
	public void connectionOpened() {
		this.flowRecorder.connectionOpened();
		this.opened.increment();
	}

	@Override
	public void connectionClosed(CloseOutcome outcome) {
		this.flowRecorder.connectionClosed(outcome);
		this.closed[outcome.ordinal()].increment();
	}

	@Override
	public void bytesReceived(int bytes) {
		this.bytesReceived.add(bytes);
	}

	@Override
	public void bytesSent(long bytes) {
		this.bytesSent.add(bytes);
	}

	@Override
	public void datagramReceived(int bytes) {
		this.datagramsReceived.increment();
		this.bytesReceived.add(bytes);
	}

	@Override
	public void datagramSent(int bytes) {
		this.datagramsSent.increment();
		this.bytesSent.add(bytes);
	}

	@Override
	public void guardTripped(Guard guard) {
		this.flowRecorder.guardTripped(guard);
		this.guards[guard.ordinal()].increment();
	}

	@Override
	public void handshakeCompleted(long durationNanos) {
		this.flowRecorder.handshakeCompleted(durationNanos);
		this.handshakesCompleted.increment();
	}

	@Override
	public void handshakeFailed(HandshakeFailure reason) {
		this.flowRecorder.handshakeFailed(reason);
		this.handshakesFailed[reason.ordinal()].increment();
	}

	@Override
	public void errorReceived() {
		this.errorsReceived.increment();
	}

	@Override
	public void writingPaused(long bufferSize) {
		this.flowRecorder.writingPaused(bufferSize);
		this.writePauses.increment();
	}

	@Override
	public void writingResumed(long pausedNanos) {
		this.flowRecorder.writingResumed(pausedNanos);
		this.writePausedNanos.add(pausedNanos);
		this.writeResumes.increment();
	}

	@Override
	public void writingPauseEndedByClose(long pausedNanos) {
		this.flowRecorder.writingPauseEndedByClose(pausedNanos);
		this.writePausedNanos.add(pausedNanos);
	}

	@Override
	public void readingPaused() {
		this.flowRecorder.readingPaused();
		this.readPauses.increment();
	}

	@Override
	public void readingResumed(long pausedNanos) {
		this.flowRecorder.readingResumed(pausedNanos);
		this.readPausedNanos.add(pausedNanos);
		this.readResumes.increment();
	}

	@Override
	public void readingPauseEndedByClose(long pausedNanos) {
		this.flowRecorder.readingPauseEndedByClose(pausedNanos);
		this.readPausedNanos.add(pausedNanos);
	}

	/**
	 * Returns the connections opened so far.
	 * @return the connections opened so far
	 */
	public long opened() {
		return this.opened.sum();
	}

	/**
	 * Returns how often {@code guard} ended or refused a connection.
	 * @param guard the guard
	 * @return how often {@code guard} ended or refused a connection
	 */
	public long guardsTripped(Guard guard) {
		return this.guards[guard.ordinal()].sum();
	}

	/** {@return the TLS handshakes completed so far} */
	public long handshakesCompleted() {
		return this.handshakesCompleted.sum();
	}

	/**
	 * {@return the TLS handshakes that failed for {@code reason} so far}
	 * @param reason the class of failure to count
	 */
	public long handshakesFailed(HandshakeFailure reason) {
		return this.handshakesFailed[reason.ordinal()].sum();
	}

	/**
	 * Returns the connections that ended with {@code outcome}.
	 * @param outcome how the connections ended
	 * @return the connections that ended with {@code outcome}
	 */
	public long closed(CloseOutcome outcome) {
		return this.closed[outcome.ordinal()].sum();
	}

	/**
	 * Returns the bytes read from stream sockets.
	 * @return the count
	 */
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	/**
	 * Returns the bytes written to stream sockets.
	 * @return the count
	 */
	public long bytesSent() {
		return this.bytesSent.sum();
	}

	/**
	 * Returns the datagrams received.
	 * @return the count
	 */
	public long datagramsReceived() {
		return this.datagramsReceived.sum();
	}

	/**
	 * Returns the datagrams sent.
	 * @return the count
	 */
	public long datagramsSent() {
		return this.datagramsSent.sum();
	}

	/**
	 * Returns the errors reported to {@code errorReceived} (datagram endpoints).
	 * @return the count
	 */
	public long errorsReceived() {
		return this.errorsReceived.sum();
	}

	/**
	 * Returns how often a connection's writing was paused ({@code pauseWriting}).
	 * @return the count
	 */
	public long writePauses() {
		return this.writePauses.sum();
	}

	/**
	 * Returns how often a connection's writing was resumed ({@code resumeWriting}).
	 * @return the count
	 */
	public long writeResumes() {
		return this.writeResumes.sum();
	}

	/**
	 * Returns how often a connection's reading was paused.
	 * @return the count
	 */
	public long readPauses() {
		return this.readPauses.sum();
	}

	/**
	 * Returns how often a connection's reading was resumed.
	 * @return the count
	 */
	public long readResumes() {
		return this.readResumes.sum();
	}

	/**
	 * Returns the total time writing was paused, over every connection, in nanoseconds (pauses that ended).
	 * @return the total time writing was paused, over every connection, in nanoseconds (pauses that ended)
	 */
	public long writePausedNanos() {
		return this.writePausedNanos.sum();
	}

	/**
	 * Returns the total time reading was paused, over every connection, in nanoseconds (pauses that ended).
	 * @return the total time reading was paused, over every connection, in nanoseconds (pauses that ended)
	 */
	public long readPausedNanos() {
		return this.readPausedNanos.sum();
	}

}
