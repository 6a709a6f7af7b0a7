package io.protoloop.boot.actuate.metrics;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.boot.endpoint.EndpointStatistics;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.loop.EventLoop;
import io.protoloop.metrics.CloseOutcome;
import io.protoloop.transport.Transport;

/**
 * Binds the endpoint and loop meters of {@link ProtoloopMeters}. Counters are function counters over the totals
 * the endpoints and loops keep anyway, and gauges read live state when scraped, so nothing here runs on a read
 * or write. Meters exist from startup for every configured endpoint, even before it binds.
 */
public final class ProtoloopMetricsBinder implements MeterBinder {

	private final ProtocolEndpoints endpoints;

	public ProtoloopMetricsBinder(ProtocolEndpoints endpoints) {
		this.endpoints = endpoints;
	}

	/** The tags of every endpoint meter: {@code endpoint} and {@code kind}. */
	static Tags endpointTags(EndpointDefinition endpoint) {
		return Tags.of("endpoint", endpoint.name(), "kind", endpoint.kind().name().toLowerCase());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (EndpointDefinition endpoint : this.endpoints.definitions()) {
			bindEndpoint(registry, endpoint);
		}
		for (EventLoop loop : this.endpoints.group().loops()) {
			bindLoop(registry, loop);
		}
	}

	private void bindEndpoint(MeterRegistry registry, EndpointDefinition endpoint) {
		Tags tags = endpointTags(endpoint);
		EndpointStatistics statistics = this.endpoints.statistics(endpoint.name());
		String name = endpoint.name();
		gauge(registry, ProtoloopMeters.CONNECTIONS_ACTIVE, tags, (endpoints) -> connections(endpoints, name));
		counter(registry, ProtoloopMeters.CONNECTIONS_OPENED, tags, statistics, EndpointStatistics::opened);
		for (CloseOutcome outcome : CloseOutcome.values()) {
			counter(registry, ProtoloopMeters.CONNECTIONS_CLOSED,
					tags.and("outcome", outcome.name().toLowerCase()), statistics, (s) -> s.closed(outcome));
		}
		counter(registry, ProtoloopMeters.BYTES, tags.and("direction", "read"), statistics,
				EndpointStatistics::bytesReceived);
		counter(registry, ProtoloopMeters.BYTES, tags.and("direction", "write"), statistics,
				EndpointStatistics::bytesSent);
		if (endpoint.kind() == EndpointKind.UDP) {
			counter(registry, ProtoloopMeters.DATAGRAMS, tags.and("direction", "read"), statistics,
					EndpointStatistics::datagramsReceived);
			counter(registry, ProtoloopMeters.DATAGRAMS, tags.and("direction", "write"), statistics,
					EndpointStatistics::datagramsSent);
			counter(registry, ProtoloopMeters.ERRORS_RECEIVED, tags, statistics, EndpointStatistics::errorsReceived);
		}
		gauge(registry, ProtoloopMeters.WRITE_BUFFER_BUFFERED, tags, (endpoints) -> buffered(endpoints, name, false));
		gauge(registry, ProtoloopMeters.WRITE_BUFFER_LARGEST, tags, (endpoints) -> buffered(endpoints, name, true));
		flowEvents(registry, tags, statistics);
	}

	private static void flowEvents(MeterRegistry registry, Tags tags, EndpointStatistics statistics) {
		Tags write = tags.and("direction", "write");
		Tags read = tags.and("direction", "read");
		counter(registry, ProtoloopMeters.FLOW_EVENTS, write.and("event", "pause"), statistics,
				EndpointStatistics::writePauses);
		counter(registry, ProtoloopMeters.FLOW_EVENTS, write.and("event", "resume"), statistics,
				EndpointStatistics::writeResumes);
		counter(registry, ProtoloopMeters.FLOW_EVENTS, read.and("event", "pause"), statistics,
				EndpointStatistics::readPauses);
		counter(registry, ProtoloopMeters.FLOW_EVENTS, read.and("event", "resume"), statistics,
				EndpointStatistics::readResumes);
	}

	private void bindLoop(MeterRegistry registry, EventLoop loop) {
		Tags tags = Tags.of("loop", loop.name());
		Timer lag = Timer.builder(ProtoloopMeters.LOOP_LAG.meterName())
			.description(ProtoloopMeters.LOOP_LAG.description())
			.tags(tags)
			.register(registry);
		loop.setRecorder(new MicrometerLoopRecorder(lag));
		Gauge.builder(ProtoloopMeters.LOOP_TASKS_PENDING.meterName(), loop, EventLoop::pendingTasks)
			.description(ProtoloopMeters.LOOP_TASKS_PENDING.description())
			.baseUnit(ProtoloopMeters.LOOP_TASKS_PENDING.baseUnit())
			.tags(tags)
			.register(registry);
		counter(registry, ProtoloopMeters.LOOP_CALLBACKS_SLOW, tags, loop, EventLoop::slowCallbacks);
		counter(registry, ProtoloopMeters.LOOP_BUSY, tags, loop, (l) -> l.busyNanos() / 1e9);
		Gauge.builder(ProtoloopMeters.LOOP_UTILIZATION.meterName(), new Utilization(loop), Utilization::sample)
			.description(ProtoloopMeters.LOOP_UTILIZATION.description())
			.tags(tags)
			.strongReference(true)
			.register(registry);
	}

	private static double connections(ProtocolEndpoints endpoints, String name) {
		RunningEndpoint endpoint = endpoints.get(name);
		return (endpoint != null) ? endpoint.connectionCount() : 0;
	}

	/** Sums, or takes the largest of, the write buffers of an endpoint's transports, read without a lock. */
	private static double buffered(ProtocolEndpoints endpoints, String name, boolean largest) {
		RunningEndpoint endpoint = endpoints.get(name);
		if (endpoint == null) {
			return 0;
		}
		if (endpoint.datagramTransport() != null) {
			return endpoint.datagramTransport().getWriteBufferSize();
		}
		long result = 0;
		for (Transport transport : endpoint.server().transports()) {
			long size = transport.getWriteBufferSize();
			result = largest ? Math.max(result, size) : result + size;
		}
		return result;
	}

	private void gauge(MeterRegistry registry, ProtoloopMeters meter, Tags tags,
			ToDoubleFunction<ProtocolEndpoints> value) {
		Gauge.builder(meter.meterName(), this.endpoints, value)
			.description(meter.description())
			.baseUnit(meter.baseUnit())
			.tags(tags)
			.register(registry);
	}

	private static <T> void counter(MeterRegistry registry, ProtoloopMeters meter, Tags tags, T source,
			ToDoubleFunction<T> count) {
		FunctionCounter.builder(meter.meterName(), source, count)
			.description(meter.description())
			.baseUnit(meter.baseUnit())
			.tags(tags)
			.register(registry);
	}

	/** Busy share of a loop's time between two readings. */
	private static final class Utilization {

		private final EventLoop loop;

		private long lastBusy;

		private long lastIdle;

		Utilization(EventLoop loop) {
			this.loop = loop;
		}

		synchronized double sample() {
			long busy = this.loop.busyNanos();
			long idle = this.loop.idleNanos();
			long busyDelta = busy - this.lastBusy;
			long total = busyDelta + (idle - this.lastIdle);
			this.lastBusy = busy;
			this.lastIdle = idle;
			return (total > 0) ? (double) busyDelta / total : 0;
		}

	}

}
