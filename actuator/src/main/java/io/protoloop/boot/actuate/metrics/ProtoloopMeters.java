package io.protoloop.boot.actuate.metrics;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;

/**
 * Every meter Protoloop registers: its name, type, base unit, tags and meaning, in one place for the code and
 * the documentation ({@code docs/metrics.md}, which a test keeps in step). The code registers a meter only
 * through the builder of its constant, so what is registered is what is documented. Endpoint meters are tagged
 * {@code endpoint} and {@code kind}, loop meters {@code loop}; no tag ever names a connection.
 */
public enum ProtoloopMeters {

	/** Open connections (tcp, unix) or 1 while a udp endpoint is open. */
	CONNECTIONS_ACTIVE("protoloop.connections.active", Meter.Type.GAUGE, null, "Open connections"),

	/** Connections made since startup. */
	CONNECTIONS_OPENED("protoloop.connections.opened", Meter.Type.COUNTER, null, "Connections made"),

	/** Connections ended since startup, tagged {@code outcome=clean|error|aborted}. */
	CONNECTIONS_CLOSED("protoloop.connections.closed", Meter.Type.COUNTER, null,
			"Connections ended, by outcome"),

	/** Bytes read and written, tagged {@code direction=read|write}. */
	BYTES("protoloop.bytes", Meter.Type.COUNTER, "bytes", "Bytes read from and written to sockets"),

	/** Datagrams received and sent (udp), tagged {@code direction=read|write}. */
	DATAGRAMS("protoloop.datagrams", Meter.Type.COUNTER, null, "Datagrams received and sent"),

	/** Errors reported to datagram protocols' errorReceived (udp). */
	ERRORS_RECEIVED("protoloop.errors.received", Meter.Type.COUNTER, null,
			"Send and receive errors reported to errorReceived"),

	/**
	 * Connections a guard ended or refused, tagged {@code guard}: {@code write-buffer-max}, {@code idle-timeout},
	 * {@code read-timeout}, {@code max-connections}, {@code max-connections-per-address},
	 * {@code handshake-timeout}, {@code proxy-header} (udp endpoints: only {@code write-buffer-max}).
	 */
	GUARDS("protoloop.guards", Meter.Type.COUNTER, null, "Connections a guard ended or refused"),

	/**
	 * Open TLS connections past their handshake, tagged {@code protocol} with the version they negotiated
	 * ({@code TLSv1.3}, {@code TLSv1.2}, ...: the versions the endpoint enables). tcp and unix endpoints with an SSL
	 * bundle only.
	 */
	TLS_CONNECTIONS("protoloop.tls.connections", Meter.Type.GAUGE, null,
			"Open TLS connections past the handshake, by protocol version"),

	/**
	 * TLS handshakes ended, tagged {@code outcome}: {@code completed}, or why one failed: {@code timeout},
	 * {@code certificate}, {@code protocol}, {@code closed}. tcp and unix endpoints (with an SSL bundle, or
	 * upgraded with startTls).
	 */
	TLS_HANDSHAKES("protoloop.tls.handshakes", Meter.Type.COUNTER, null, "TLS handshakes, by outcome"),

	/** How long completed TLS handshakes took, from the connection's start. tcp and unix endpoints. */
	TLS_HANDSHAKE_DURATION("protoloop.tls.handshake.duration", Meter.Type.TIMER, null,
			"Time from a connection's start to the end of its TLS handshake"),

	/** Bytes buffered now over all connections of the endpoint. */
	WRITE_BUFFER_BUFFERED("protoloop.write.buffer.buffered", Meter.Type.GAUGE, "bytes",
			"Bytes waiting in write buffers, all connections together"),

	/** The largest single connection's write buffer now. */
	WRITE_BUFFER_LARGEST("protoloop.write.buffer.largest", Meter.Type.GAUGE, "bytes",
			"The largest write buffer of a single connection"),

	/** A connection's write-buffer size each time its protocol is told to pause writing. */
	WRITE_BUFFER_AT_PAUSE("protoloop.write.buffer.at.pause", Meter.Type.DISTRIBUTION_SUMMARY, "bytes",
			"Write-buffer size when pauseWriting was called"),

	/**
	 * Flow-control calls, tagged {@code direction=write} (pauseWriting/resumeWriting made by the transport) or
	 * {@code direction=read} (pauseReading/resumeReading made by the protocol), and {@code event=pause|resume}.
	 */
	FLOW_EVENTS("protoloop.flow.events", Meter.Type.COUNTER, null, "Flow-control pauses and resumes"),

	/**
	 * How long connections stayed paused, per pause, tagged {@code direction=read|write}; a pause the connection's
	 * end cut short counts too.
	 */
	FLOW_PAUSED("protoloop.flow.paused", Meter.Type.TIMER, null, "Time connections spent paused, per pause"),

	/** How late timers run on each loop: its lag. */
	LOOP_LAG("protoloop.loop.lag", Meter.Type.TIMER, null, "How late scheduled callbacks run"),

	/** Callbacks ready to run and timers scheduled on each loop. */
	LOOP_TASKS_PENDING("protoloop.loop.tasks.pending", Meter.Type.GAUGE, null,
			"Callbacks ready to run and timers scheduled"),

	/** Callbacks and I/O handlers that ran longer than the slow-callback duration. */
	LOOP_CALLBACKS_SLOW("protoloop.loop.callbacks.slow", Meter.Type.COUNTER, null,
			"Callbacks slower than protoloop.loop.slow-callback-duration"),

	/** Time each loop spent running callbacks rather than waiting in select. */
	LOOP_BUSY("protoloop.loop.busy", Meter.Type.COUNTER, "seconds", "Time spent running callbacks"),

	/** Share of time each loop spent running callbacks since the previous scrape, 0 to 1. */
	LOOP_UTILIZATION("protoloop.loop.utilization", Meter.Type.GAUGE, null,
			"Share of time not waiting in select since the previous reading");

	private final String meterName;

	private final Meter.Type type;

	private final String baseUnit;

	private final String description;

	ProtoloopMeters(String meterName, Meter.Type type, String baseUnit, String description) {
		this.meterName = meterName;
		this.type = type;
		this.baseUnit = baseUnit;
		this.description = description;
	}

	/**
	 * Returns the dot-separated meter name.
	 * @return the dot-separated meter name
	 */
	public String meterName() {
		return this.meterName;
	}

	/**
	 * Returns the kind of meter.
	 * @return the kind of meter
	 */
	public Meter.Type type() {
		return this.type;
	}

	/**
	 * Returns the base unit, or {@code null} for plain counts (whose Prometheus names then stay short) and timers
	 * (in seconds by definition).
	 * @return the base unit, or {@code null} for plain counts (whose Prometheus names then stay short) and timers (in seconds by definition)
	 */
	public String baseUnit() {
		return this.baseUnit;
	}

	/**
	 * Returns the one-line description registered with the meter.
	 * @return the one-line description registered with the meter
	 */
	public String description() {
		return this.description;
	}

	/** Starts a counter of this meter that reads {@code count} from {@code source} when scraped. */
	<T> FunctionCounter.Builder<T> functionCounter(T source, ToDoubleFunction<T> count) {
		return FunctionCounter.builder(requireType(Meter.Type.COUNTER), source, count)
			.description(this.description)
			.baseUnit(this.baseUnit);
	}

	/** Starts a gauge of this meter that reads {@code value} from {@code source} when scraped. */
	<T> Gauge.Builder<T> gauge(T source, ToDoubleFunction<T> value) {
		return Gauge.builder(requireType(Meter.Type.GAUGE), source, value)
			.description(this.description)
			.baseUnit(this.baseUnit);
	}

	/** Starts a timer of this meter (timers are in seconds, so it has no base unit). */
	Timer.Builder timer() {
		return Timer.builder(requireType(Meter.Type.TIMER)).description(this.description);
	}

	/** Starts a distribution summary of this meter. */
	DistributionSummary.Builder summary() {
		return DistributionSummary.builder(requireType(Meter.Type.DISTRIBUTION_SUMMARY))
			.description(this.description)
			.baseUnit(this.baseUnit);
	}

	/** Returns the name, failing if the code would register this meter as another type than documented. */
	private String requireType(Meter.Type type) {
		if (this.type != type) {
			throw new IllegalStateException(this.meterName + " is documented as a " + this.type + ", not a " + type);
		}
		return this.meterName;
	}

}
