package io.protoloop.boot.actuate.metrics;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;

import javax.net.ssl.SSLEngine;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.boot.ssl.TlsConnections;
import io.protoloop.metrics.CloseOutcome;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.metrics.Guard;
import io.protoloop.metrics.HandshakeFailure;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.WriteBufferControl;

/**
 * Every meter of one endpoint, in one place. Two kinds, registered at two moments:
 * <ul>
 * <li>the distributions (write-buffer size at each pause, time paused, TLS handshake duration), registered when
 * the endpoint is created: an instance is the recorder its {@link EndpointStatistics} passes flow-control events to,
 * so recording allocates nothing;</li>
 * <li>the readings ({@link #bindReadings}): function counters over the endpoint's {@link EndpointStatistics}
 * and gauges over its live connections, read when scraped, so nothing runs on a read or a write.</li>
 * </ul>
 */
final class EndpointMeters implements TransportRecorder {

	/** Bound on the wait for the loops to count their TLS connections when a gauge is read. */
	private static final long TLS_COUNT_TIMEOUT_MILLIS = 1000;

	/** {@link ProtoloopMeters#WRITE_BUFFER_AT_PAUSE}. */
	private final DistributionSummary bufferAtPause;

	/** {@link ProtoloopMeters#FLOW_PAUSED}, {@code direction=write}. */
	private final Timer writePaused;

	/** {@link ProtoloopMeters#FLOW_PAUSED}, {@code direction=read}. */
	private final Timer readPaused;

	/** {@link ProtoloopMeters#TLS_HANDSHAKE_DURATION}; null on a udp endpoint, which has no TLS. */
	private final Timer handshakeDuration;

	/** Registers the endpoint's distributions on {@code registry}. */
	EndpointMeters(MeterRegistry registry, EndpointDefinition endpoint) {
		Tags tags = tags(endpoint);
		this.bufferAtPause = ProtoloopMeters.WRITE_BUFFER_AT_PAUSE.summary().tags(tags).register(registry);
		this.writePaused = ProtoloopMeters.FLOW_PAUSED.timer().tags(tags).tag("direction", "write").register(registry);
		this.readPaused = ProtoloopMeters.FLOW_PAUSED.timer().tags(tags).tag("direction", "read").register(registry);
		this.handshakeDuration = (endpoint.kind() != EndpointKind.UDP)
				? ProtoloopMeters.TLS_HANDSHAKE_DURATION.timer().tags(tags).register(registry) : null;
	}

	/** The tags of every endpoint meter: {@code endpoint} and {@code kind}. */
	private static Tags tags(EndpointDefinition endpoint) {
		return Tags.of("endpoint", endpoint.name(), "kind", endpoint.kind().name().toLowerCase());
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
	public void handshakeCompleted(long durationNanos) {
		if (this.handshakeDuration != null) {
			this.handshakeDuration.record(durationNanos, TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void readingResumed(long pausedNanos) {
		this.readPaused.record(pausedNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void readingPauseEndedByClose(long pausedNanos) {
		this.readPaused.record(pausedNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Registers the endpoint's counters and gauges on {@code registry}. They exist from startup, at zero until
	 * the endpoint binds.
	 */
	static void bindReadings(MeterRegistry registry, EndpointDefinition endpoint, ProtocolEndpoints endpoints) {
		Tags tags = tags(endpoint);
		Tags read = tags.and("direction", "read");
		Tags write = tags.and("direction", "write");
		String name = endpoint.name();
		EndpointStatistics statistics = endpoints.statistics(name);
		count(registry, ProtoloopMeters.CONNECTIONS_OPENED, tags, statistics, EndpointStatistics::opened);
		for (CloseOutcome outcome : CloseOutcome.values()) {
			count(registry, ProtoloopMeters.CONNECTIONS_CLOSED, tags.and("outcome", outcome.name().toLowerCase()),
					statistics, (s) -> s.closed(outcome));
		}
		count(registry, ProtoloopMeters.BYTES, read, statistics, EndpointStatistics::bytesReceived);
		count(registry, ProtoloopMeters.BYTES, write, statistics, EndpointStatistics::bytesSent);
		if (endpoint.kind() == EndpointKind.UDP) {
			count(registry, ProtoloopMeters.DATAGRAMS, read, statistics, EndpointStatistics::datagramsReceived);
			count(registry, ProtoloopMeters.DATAGRAMS, write, statistics, EndpointStatistics::datagramsSent);
			count(registry, ProtoloopMeters.ERRORS_RECEIVED, tags, statistics, EndpointStatistics::errorsReceived);
		}
		for (Guard guard : guards(endpoint.kind())) {
			count(registry, ProtoloopMeters.GUARDS, tags.and("guard", guard.tagValue()), endpoints,
					(e) -> e.guardsTripped(name, guard));
		}
		if (endpoint.kind() != EndpointKind.UDP) {
			count(registry, ProtoloopMeters.TLS_HANDSHAKES, tags.and("outcome", "completed"), statistics,
					EndpointStatistics::handshakesCompleted);
			for (HandshakeFailure reason : HandshakeFailure.values()) {
				count(registry, ProtoloopMeters.TLS_HANDSHAKES, tags.and("outcome", reason.tagValue()), statistics,
						(s) -> s.handshakesFailed(reason));
			}
		}
		count(registry, ProtoloopMeters.FLOW_EVENTS, write.and("event", "pause"), statistics,
				EndpointStatistics::writePauses);
		count(registry, ProtoloopMeters.FLOW_EVENTS, write.and("event", "resume"), statistics,
				EndpointStatistics::writeResumes);
		count(registry, ProtoloopMeters.FLOW_EVENTS, read.and("event", "pause"), statistics,
				EndpointStatistics::readPauses);
		count(registry, ProtoloopMeters.FLOW_EVENTS, read.and("event", "resume"), statistics,
				EndpointStatistics::readResumes);
		measure(registry, ProtoloopMeters.CONNECTIONS_ACTIVE, tags, endpoints, (e) -> active(e.get(name)));
		TlsOptions tls = endpoint.transportSettings().tls();
		if (tls != null) {
			for (String protocol : enabledProtocols(tls)) {
				measure(registry, ProtoloopMeters.TLS_CONNECTIONS, tags.and("protocol", protocol), endpoints,
						(e) -> tlsConnections(e.get(name), protocol));
			}
		}
		measure(registry, ProtoloopMeters.WRITE_BUFFER_BUFFERED, tags, endpoints, (e) -> buffered(e.get(name), false));
		measure(registry, ProtoloopMeters.WRITE_BUFFER_LARGEST, tags, endpoints, (e) -> buffered(e.get(name), true));
	}

	/** The guards that can trip on an endpoint of {@code kind}: a udp endpoint has no connections to time out or count. */
	private static Set<Guard> guards(EndpointKind kind) {
		return (kind == EndpointKind.UDP) ? EnumSet.of(Guard.WRITE_BUFFER_MAX) : EnumSet.allOf(Guard.class);
	}

	/** The protocol versions a server engine of {@code tls} enables: one {@code protocol} tag each. */
	private static List<String> enabledProtocols(TlsOptions tls) {
		if (!tls.protocols().isEmpty()) {
			return tls.protocols();
		}
		SSLEngine engine = tls.sslContext().createSSLEngine();
		engine.setUseClientMode(false);
		return List.of(engine.getEnabledProtocols());
	}

	/**
	 * Counts the endpoint's TLS connections that negotiated {@code protocol}, asking each loop to count its own
	 * (a connection's session is read on its loop): NaN when a loop does not answer in time.
	 */
	private static double tlsConnections(RunningEndpoint endpoint, String protocol) {
		if (endpoint == null) {
			return 0;
		}
		try {
			return TlsConnections.countByProtocol(endpoint.connections())
				.get(TLS_COUNT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
				.getOrDefault(protocol, 0L);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Double.NaN;
		}
		catch (ExecutionException | TimeoutException ex) {
			return Double.NaN;
		}
	}

	private static double active(RunningEndpoint endpoint) {
		return (endpoint != null) ? endpoint.connectionCount() : 0;
	}

	/** Sums, or takes the largest of, the write buffers of an endpoint's transports, read without a lock. */
	private static double buffered(RunningEndpoint endpoint, boolean largest) {
		if (endpoint == null) {
			return 0;
		}
		long result = 0;
		for (WriteBufferControl transport : endpoint.transports()) {
			long size = transport.getWriteBufferSize();
			result = largest ? Math.max(result, size) : result + size;
		}
		return result;
	}

	private static <T> void count(MeterRegistry registry, ProtoloopMeters meter, Tags tags, T source,
			ToDoubleFunction<T> count) {
		meter.functionCounter(source, count).tags(tags).register(registry);
	}

	private static <T> void measure(MeterRegistry registry, ProtoloopMeters meter, Tags tags, T source,
			ToDoubleFunction<T> value) {
		meter.gauge(source, value).tags(tags).register(registry);
	}

}
