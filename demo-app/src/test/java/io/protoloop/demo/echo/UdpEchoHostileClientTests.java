package io.protoloop.demo.echo;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;

import io.protoloop.boot.context.LocalEndpointPort;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.demo.HostileClientsTest;
import io.protoloop.demo.Waits;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;

import static io.protoloop.demo.Waits.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UDP echo against forged and flooding sources, over real sockets with the limits of
 * {@link HostileClientsTest} (5 datagrams per source, next to no refill).
 */
@HostileClientsTest
@Timeout(60)
class UdpEchoHostileClientTests {

	@LocalEndpointPort("echo-udp")
	int port;

	@Autowired
	ProtocolEndpoints endpoints;

	@Autowired
	MeterRegistry registry;

	/**
	 * A datagram whose source is the endpoint's own address, as a forger would send it: here the endpoint's own
	 * socket sends it, so the kernel delivers it with that source. Echoed, it would come back forever.
	 */
	@Test
	void aDatagramFromTheEndpointsOwnAddressIsNotEchoedSoItCannotLoop() {
		DatagramTransport server = ((RunningEndpoint.Datagram) this.endpoints.get("echo-udp")).transport();
		SocketAddress own = onLoop(server, () -> (SocketAddress) server.getExtraInfo(ExtraInfo.SOCKNAME));
		EndpointStatistics statistics = this.endpoints.statistics("echo-udp");
		long sent = statistics.datagramsSent();
		long received = statistics.datagramsReceived();
		double loops = dropped("loop");

		onLoop(server, () -> {
			server.sendto(ByteBuffer.wrap("forged".getBytes(StandardCharsets.US_ASCII)), own);
			return null;
		});

		Waits.until("the forged datagram dropped", () -> dropped("loop") == loops + 1);
		assertThat(statistics.datagramsReceived()).isEqualTo(received + 1);
		assertThat(statistics.datagramsSent()).as("the forged one only, never an echo").isEqualTo(sent + 1);
	}

	@Test
	void aSourceGetsItsBurstEchoedAndTheRestDroppedAndCounted() throws Exception {
		EndpointStatistics statistics = this.endpoints.statistics("echo-udp");
		double limited = dropped("rate-limit");
		long sent = statistics.datagramsSent();
		try (DatagramChannel client = DatagramChannel.open()) {
			client.setOption(StandardSocketOptions.SO_RCVBUF, 1024 * 1024);
			client.bind(new InetSocketAddress("127.0.0.1", 0));
			client.connect(new InetSocketAddress("127.0.0.1", this.port));
			for (int i = 0; i < 20; i++) {
				client.write(ByteBuffer.wrap(("datagram " + i).getBytes(StandardCharsets.US_ASCII)));
			}
			Waits.until("15 datagrams dropped", () -> dropped("rate-limit") == limited + 15);
			assertThat(statistics.datagramsSent()).as("echoes").isEqualTo(sent + 5);
			client.socket().setSoTimeout((int) Waits.WAIT.toMillis());
			for (int i = 0; i < 5; i++) {
				DatagramPacket echo = new DatagramPacket(new byte[64], 64);
				client.socket().receive(echo);
				assertThat(new String(echo.getData(), 0, echo.getLength(), StandardCharsets.US_ASCII))
					.isEqualTo("datagram " + i);
			}
		}
	}

	private double dropped(String reason) {
		return this.registry.get("demo.echo.udp.dropped").tag("reason", reason).counter().count();
	}

}
