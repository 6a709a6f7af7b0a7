package io.protoloop.boot.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint.ConnectionDescriptor;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint.EndpointDetail;

import static io.protoloop.boot.actuate.ProtoloopActuatorTests.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code protoloop} endpoint's operations as clients on the wire see them: connection listings a page at a
 * time, serving switched off and on for tcp and udp endpoints, and closing a "connection" refused for udp.
 */
@Timeout(60)
class ActuatorOperationsTests {

	private final ApplicationContextRunner runner = ProtoloopActuatorTests.runner();

	@Test
	void connectionsAreListedAPageAtATimeInTheOrderTheyWereMade() {
		this.runner.run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			List<SocketChannel> clients = new ArrayList<>();
			try {
				for (int i = 0; i < 3; i++) {
					clients.add(echoed(port(context, "echo")));
				}
				EndpointDetail all = endpoint.endpoint("echo", null, null);
				assertThat(all.total()).isEqualTo(3);
				assertThat(all.limit()).isEqualTo(100);
				assertThat(all.offset()).isZero();
				assertThat(all.connections()).extracting(ConnectionDescriptor::peer)
					.containsExactly(peers(clients).toArray(String[]::new));

				EndpointDetail first = endpoint.endpoint("echo", 2, 0);
				EndpointDetail second = endpoint.endpoint("echo", 2, 2);
				assertThat(first.total()).isEqualTo(3);
				assertThat(first.connections()).hasSize(2);
				assertThat(second.connections()).singleElement()
					.extracting(ConnectionDescriptor::peer)
					.isEqualTo(peers(clients).get(2));
				assertThat(first.connections().get(1).id()).isLessThan(second.connections().get(0).id());
			}
			finally {
				for (SocketChannel client : clients) {
					client.close();
				}
			}
		});
	}

	@Test
	void aPageLimitOutside1To1000OrANegativeOffsetIsABadRequest() {
		this.runner.run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.endpoint("echo", 0, null))
				.withMessageContaining("limit must be between 1 and 1000");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.endpoint("echo", 1001, null));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.endpoint("echo", null, -1))
				.withMessageContaining("offset must be 0 or more");
		});
	}

	@Test
	@SuppressWarnings("try") // the resource is held open for the test, not used
	void aTcpEndpointThatStopsServingRefusesConnectionsUntilItServesAgainOnTheSamePort() {
		this.runner.run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			int port = port(context, "echo");
			try (SocketChannel open = echoed(port)) {
				assertThat(endpoint.serving("echo", false).serving()).isFalse();
				assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> echoed(port));
				echo(open, "the open connection goes on");

				assertThat(endpoint.serving("echo", true).serving()).isTrue();
				try (SocketChannel again = echoed(port)) {
					assertThat(endpoint.endpoint("echo", null, null).total()).isEqualTo(2);
				}
			}
		});
	}

	@Test
	void aUdpEndpointStopsReadingAndReadsWhatWaitedOnceItServesAgain() {
		this.runner.run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
				assertThat(endpoint.serving("echo-udp", false).serving()).isFalse();
				send(socket, "waits", port(context, "echo-udp"));
				socket.setSoTimeout(200);
				assertThatExceptionOfType(SocketTimeoutException.class).as("no answer while not serving")
					.isThrownBy(() -> receive(socket));

				assertThat(endpoint.serving("echo-udp", true).serving()).isTrue();
				socket.setSoTimeout(20_000);
				assertThat(receive(socket)).as("the datagram waited in the socket").isEqualTo("waits");
			}
		});
	}

	@Test
	void closingAConnectionOfAUdpEndpointIsABadRequestAndLeavesTheEndpointServing() {
		this.runner.run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			long id = endpoint.endpoint("echo-udp", null, null).connections().get(0).id();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.closeConnection("echo-udp", id))
				.withMessageContaining("is udp: one socket serves every peer");
			try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
				socket.setSoTimeout(20_000);
				send(socket, "still here", port(context, "echo-udp"));
				assertThat(receive(socket)).isEqualTo("still here");
			}
		});
	}

	/** Connects to the echo endpoint and waits for one echo, so the server has made the connection. */
	private static SocketChannel echoed(int port) throws IOException {
		SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
		echo(client, "hello");
		return client;
	}

	private static void echo(SocketChannel client, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		client.write(ByteBuffer.wrap(bytes));
		InputStream in = Channels.newInputStream(client);
		assertThat(new String(in.readNBytes(bytes.length), StandardCharsets.UTF_8)).isEqualTo(text);
	}

	private static List<String> peers(List<SocketChannel> clients) throws IOException {
		List<String> peers = new ArrayList<>();
		for (SocketChannel client : clients) {
			peers.add(client.getLocalAddress().toString());
		}
		return peers;
	}

	private static void send(DatagramSocket socket, String text, int port) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
	}

	private static String receive(DatagramSocket socket) throws IOException {
		DatagramPacket packet = new DatagramPacket(new byte[100], 100);
		socket.receive(packet);
		return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
	}

}
