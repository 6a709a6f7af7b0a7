package io.protoloop.boot.endpoint;

import java.util.concurrent.atomic.LongAdder;

import io.protoloop.metrics.CloseOutcome;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.metrics.Guard;
import io.protoloop.metrics.TransportRecorder;

/**
 * What every transport of one endpoint reports to: the endpoint's {@link EndpointStatistics}, and a count of each
 * {@link Guard} tripped, which {@code EndpointStatistics} does not keep (its {@code guardTripped} does nothing).
 * Once core counts guards in {@code EndpointStatistics}, this class goes and the statistics are the recorder again.
 */
final class EndpointRecorder implements TransportRecorder {

	/** The endpoint's totals, told every event. */
	private final EndpointStatistics statistics;

	/** Guards tripped, indexed by {@link Guard#ordinal()}. */
	private final LongAdder[] guards = new LongAdder[Guard.values().length];

	EndpointRecorder(EndpointStatistics statistics) {
		this.statistics = statistics;
		for (int i = 0; i < this.guards.length; i++) {
			this.guards[i] = new LongAdder();
		}
	}

	EndpointStatistics statistics() {
		return this.statistics;
	}

	/** Returns how often {@code guard} ended or refused a connection since startup. */
	long tripped(Guard guard) {
		return this.guards[guard.ordinal()].sum();
	}

	@Override
	public void guardTripped(Guard guard) {
		this.guards[guard.ordinal()].increment();
		this.statistics.guardTripped(guard);
	}

	@Override
	public void connectionOpened() {
		this.statistics.connectionOpened();
	}

	@Override
	public void connectionClosed(CloseOutcome outcome) {
		this.statistics.connectionClosed(outcome);
	}

	@Override
	public void bytesReceived(int bytes) {
		this.statistics.bytesReceived(bytes);
	}

	@Override
	public void bytesSent(long bytes) {
		this.statistics.bytesSent(bytes);
	}

	@Override
	public void datagramReceived(int bytes) {
		this.statistics.datagramReceived(bytes);
	}

	@Override
	public void datagramSent(int bytes) {
		this.statistics.datagramSent(bytes);
	}

	@Override
	public void errorReceived() {
		this.statistics.errorReceived();
	}

	@Override
	public void writingPaused(long bufferSize) {
		this.statistics.writingPaused(bufferSize);
	}

	@Override
	public void writingResumed(long pausedNanos) {
		this.statistics.writingResumed(pausedNanos);
	}

	@Override
	public void writingPauseEndedByClose(long pausedNanos) {
		this.statistics.writingPauseEndedByClose(pausedNanos);
	}

	@Override
	public void readingPaused() {
		this.statistics.readingPaused();
	}

	@Override
	public void readingResumed(long pausedNanos) {
		this.statistics.readingResumed(pausedNanos);
	}

	@Override
	public void readingPauseEndedByClose(long pausedNanos) {
		this.statistics.readingPauseEndedByClose(pausedNanos);
	}

}
