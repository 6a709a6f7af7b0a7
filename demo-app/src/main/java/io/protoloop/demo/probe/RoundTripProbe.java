package io.protoloop.demo.probe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.TimerHandle;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.protocol.Protocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.transport.Transport;

/**
 * An outbound client inside the application: keeps a connection to the demo's own echo endpoint, sends a ping on
 * a schedule ({@code demo.probe.interval}) and records the round-trip time as {@code demo.probe.round.trip}. It
 * shows application code opening connections with the auto-configured event-loop group, and timers on a loop.
 * Starts after the endpoints and stops before them.
 */
@Component
public class RoundTripProbe implements SmartLifecycle {

	private final EventLoop loop;

	private final Environment environment;

	private final Duration interval;

	private final Timer roundTrip;

	private final Counter failures;

	private volatile boolean running;

	// Confined to the loop thread.
	private ProbeProtocol connection;

	private boolean connecting;

	private TimerHandle next;

	public RoundTripProbe(EventLoopGroup group, Environment environment, MeterRegistry registry,
			@Value("${demo.probe.interval:1s}") Duration interval) {
		this.loop = group.next();
		this.environment = environment;
		this.interval = interval;
		this.roundTrip = Timer.builder("demo.probe.round.trip")
			.description("Round-trip time of the probe's pings through the echo endpoint")
			.register(registry);
		this.failures = Counter.builder("demo.probe.failures")
			.description("Probe connections that failed or were lost")
			.register(registry);
	}

	@Override
	public void start() {
		if (this.interval.isZero() || this.interval.isNegative()) {
			return;
		}
		this.running = true;
		this.loop.execute(this::tick);
	}

	private void tick() {
		if (!this.running) {
			return;
		}
		if (this.connection != null) {
			this.connection.ping();
		}
		else if (!this.connecting) {
			connect();
		}
		this.next = this.loop.callLater(this.interval, this::tick);
	}

	private void connect() {
		this.connecting = true;
		int port = this.environment.getRequiredProperty("local.protoloop.endpoints.echo.port", Integer.class);
		this.loop.createConnection(() -> new ProbeProtocol(this), "127.0.0.1", port, ConnectionOptions.DEFAULT)
			.whenComplete((connected, failure) -> {
				this.connecting = false;
				if (failure != null) {
					this.failures.increment();
				}
				else {
					this.connection = connected.protocol();
				}
			});
	}

	void recordRoundTrip(long nanos) {
		this.roundTrip.record(Duration.ofNanos(nanos));
	}

	void lost(ProbeProtocol protocol, Throwable exc) {
		if (this.connection == protocol) {
			this.connection = null;
		}
		if (exc != null) {
			this.failures.increment();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.loop.execute(() -> {
			if (this.next != null) {
				this.next.cancel();
			}
			if (this.connection != null) {
				this.connection.close();
			}
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** After the endpoints (which start at DEFAULT_PHASE - 1024), so the echo port is known. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

	/** Sends "ping &lt;nanos&gt;" lines and times their echoes. */
	static final class ProbeProtocol implements Protocol {

		private final RoundTripProbe probe;

		private final StringBuilder line = new StringBuilder();

		private Transport transport;

		ProbeProtocol(RoundTripProbe probe) {
			this.probe = probe;
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
			ping();
		}

		void ping() {
			this.transport.write(("ping " + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII));
		}

		void close() {
			this.transport.close();
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			while (data.hasRemaining()) {
				char c = (char) data.get();
				if (c != '\n') {
					this.line.append(c);
					continue;
				}
				long sent = Long.parseLong(this.line.substring("ping ".length()));
				this.probe.recordRoundTrip(System.nanoTime() - sent);
				this.line.setLength(0);
			}
		}

		@Override
		public void connectionLost(Throwable exc) {
			this.probe.lost(this, exc);
		}

	}

}
