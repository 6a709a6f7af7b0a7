package io.protoloop.boot.actuate.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.metrics.TransportRecorder;

/**
 * Records one endpoint's flow-control events as distributions: the write-buffer size at each pause, and how long
 * each pause lasted, whether it ended with a resume or with the connection. Its meters are registered once, so recording allocates nothing. Counts and byte totals come
 * from the endpoint's {@code EndpointStatistics} through {@link ProtoloopMetricsBinder}.
 */
final class MicrometerFlowRecorder implements TransportRecorder {

	private final DistributionSummary bufferAtPause;

	private final Timer writePaused;

	private final Timer readPaused;

	MicrometerFlowRecorder(MeterRegistry registry, EndpointDefinition endpoint) {
		Tags tags = ProtoloopMetricsBinder.endpointTags(endpoint);
		this.bufferAtPause = DistributionSummary.builder(ProtoloopMeters.WRITE_BUFFER_AT_PAUSE.meterName())
			.description(ProtoloopMeters.WRITE_BUFFER_AT_PAUSE.description())
			.baseUnit(ProtoloopMeters.WRITE_BUFFER_AT_PAUSE.baseUnit())
			.tags(tags)
			.register(registry);
		this.writePaused = pausedTimer(registry, tags, "write");
		this.readPaused = pausedTimer(registry, tags, "read");
	}

	private static Timer pausedTimer(MeterRegistry registry, Tags tags, String direction) {
		return Timer.builder(ProtoloopMeters.FLOW_PAUSED.meterName())
			.description(ProtoloopMeters.FLOW_PAUSED.description())
			.tags(tags)
			.tag("direction", direction)
			.register(registry);
	}

	@Override
	public void writingPaused(long bufferSize) {
		this.bufferAtPause.record(bufferSize);
	}

	@Override
	public void writingResumed(long pausedNanos) {
		this.writePaused.record(pausedNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void writingPauseEndedByClose(long pausedNanos) {
		this.writePaused.record(pausedNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void readingResumed(long pausedNanos) {
		this.readPaused.record(pausedNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void readingPauseEndedByClose(long pausedNanos) {
		this.readPaused.record(pausedNanos, TimeUnit.NANOSECONDS);
	}

}
