package io.protoloop.boot.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint;
import io.protoloop.boot.actuate.metrics.ProtoloopMeters;
import io.protoloop.metrics.Guard;

import static io.protoloop.boot.actuate.ProtoloopActuatorTests.awaitTrue;
import static io.protoloop.boot.actuate.ProtoloopActuatorTests.port;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code protoloop.guards}: every guard that ends or refuses a connection is counted, by endpoint and guard. */
@Timeout(60)
class GuardMeterTests {

	private static final int PAYLOAD = 32 * 1024 * 1024;

	private final ApplicationContextRunner runner = ProtoloopActuatorTests.runner();

	@Test
	void aConnectionAbortedOverTheWriteCapIsCountedInTheMeterAndTheEndpointsTotals() {
		this.runner.withPropertyValues("protoloop.endpoints.echo.write-buffer.max=1MB").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (SocketChannel client = connect(port(context, "echo"))) {
				// Far more than the socket buffers take at once: most of it stays in the write buffer.
				client.write(ByteBuffer.wrap(("big " + PAYLOAD).getBytes(StandardCharsets.UTF_8)));
				assertThat(readUntilTheEnd(client)).isLessThan(PAYLOAD);
			}
			assertThat(guards(registry, "echo", Guard.WRITE_BUFFER_MAX)).isEqualTo(1);
			assertThat(guards(registry, "echo", Guard.IDLE_TIMEOUT)).isZero();
			var echo = context.getBean(ProtoloopActuatorEndpoint.class).protoloop().endpoints().get(0);
			assertThat(echo.writeBufferMax()).isEqualTo(1024 * 1024);
			assertThat(echo.totals().guards()).containsEntry("write-buffer-max", 1L).containsEntry("max-connections", 0L);
			assertThat(context.getBean(PrometheusMeterRegistry.class).scrape())
				.contains("protoloop_guards_total{endpoint=\"echo\",guard=\"write-buffer-max\",kind=\"tcp\"} 1.0");
		});
	}

	@Test
	@SuppressWarnings("try") // the resource is held open for the test, not used
	void aConnectionOverMaxConnectionsIsCounted() {
		this.runner.withPropertyValues("protoloop.endpoints.echo.max-connections=1").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (SocketChannel first = connect(port(context, "echo"));
					SocketChannel refused = connect(port(context, "echo"))) {
				assertThat(readUntilTheEnd(refused)).isZero();
			}
			// Core closes a refused connection, then counts it: the client can see the end first.
			awaitTrue(() -> guards(registry, "echo", Guard.MAX_CONNECTIONS) == 1);
		});
	}

	@Test
	void udpEndpointsHaveOnlyTheWriteCapGuard() {
		this.runner.run((context) -> assertThat(context.getBean(MeterRegistry.class)
			.find(ProtoloopMeters.GUARDS.meterName())
			.tag("endpoint", "echo-udp")
			.functionCounters()).singleElement()
			.satisfies((counter) -> assertThat(counter.getId().getTag("guard")).isEqualTo("write-buffer-max")));
	}

	private static double guards(MeterRegistry registry, String endpoint, Guard guard) {
		return registry.get(ProtoloopMeters.GUARDS.meterName())
			.tags("endpoint", endpoint, "guard", guard.tagValue())
			.functionCounter()
			.count();
	}

	private static SocketChannel connect(int port) throws IOException {
		return SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
	}

	/** Reads until the server ends the connection, by a close or a reset, and returns how much came. */
	private static int readUntilTheEnd(SocketChannel client) {
		InputStream in = Channels.newInputStream(client);
		byte[] chunk = new byte[64 * 1024];
		int total = 0;
		try {
			for (int n; (n = in.read(chunk)) >= 0;) {
				total += n;
			}
		}
		catch (IOException reset) {
			// An abort shows as a reset: the connection ended.
		}
		return total;
	}

}
