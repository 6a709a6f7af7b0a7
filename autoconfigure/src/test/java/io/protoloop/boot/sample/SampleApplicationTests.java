package io.protoloop.boot.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.protoloop.boot.context.LocalEndpointPort;
import io.protoloop.boot.endpoint.ProtocolEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample application over the network: TCP, Unix and UDP endpoints on random ports, as users test theirs. */
@SpringBootTest(properties = { "protoloop.endpoints.numbering.port=0", "protoloop.endpoints.numbering.host=127.0.0.1",
		"protoloop.endpoints.shout.port=0", "protoloop.endpoints.shout.host=127.0.0.1", "protoloop.loop.threads=2" })
@Timeout(60)
class SampleApplicationTests {

	static final Path socketDirectory = createDirectory();

	@DynamicPropertySource
	static void unixSocketPath(DynamicPropertyRegistry registry) {
		registry.add("protoloop.endpoints.local.path", () -> socketDirectory.resolve("local.sock").toString());
	}

	@LocalEndpointPort("numbering")
	int numberingPort;

	@Value("${local.protoloop.endpoints.shout.port}")
	int shoutPort;

	@Autowired
	Counter counter;

	@Autowired
	ProtocolEndpoints endpoints;

	private static Path createDirectory() {
		try {
			return Files.createTempDirectory("protoloop-sample");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void tcpProtocolsAreInjectedAndNumberEachConnection() throws IOException {
		int before = this.counter.connections();
		try (SocketChannel first = SocketChannel.open(new InetSocketAddress("127.0.0.1", this.numberingPort))) {
			assertThat(readLine(first)).isEqualTo("connection " + (before + 1));
			// Connections run on different loops: open the second once the first has its number.
			try (SocketChannel second = SocketChannel.open(new InetSocketAddress("127.0.0.1", this.numberingPort))) {
				assertThat(readLine(second)).isEqualTo("connection " + (before + 2));
			}
			first.write(ByteBuffer.wrap("echo\n".getBytes(StandardCharsets.UTF_8)));
			assertThat(readLine(first)).isEqualTo("echo");
		}
	}

	@Test
	void theUnixEndpointEchoesAtItsPath() throws IOException {
		Path path = socketDirectory.resolve("local.sock");
		try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
			channel.write(ByteBuffer.wrap("over a unix socket\n".getBytes(StandardCharsets.UTF_8)));
			assertThat(readLine(channel)).isEqualTo("over a unix socket");
		}
	}

	@Test
	void theUdpEndpointAnswersEachDatagram() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			socket.setSoTimeout(20_000);
			byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
			socket.send(new DatagramPacket(hello, hello.length, InetAddress.getLoopbackAddress(), this.shoutPort));
			DatagramPacket answer = new DatagramPacket(new byte[64], 64);
			socket.receive(answer);
			assertThat(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8)).isEqualTo("HELLO");
		}
	}

	@Test
	void everyEndpointRunsOnTheAutoConfiguredGroup() {
		assertThat(this.endpoints.running()).extracting((endpoint) -> endpoint.name())
			.containsExactlyInAnyOrder("numbering", "local", "shout");
		assertThat(this.endpoints.group().loops()).hasSize(2);
	}

	private static String readLine(SocketChannel channel) throws IOException {
		InputStream in = Channels.newInputStream(channel);
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			line.write(b);
		}
		return line.toString(StandardCharsets.UTF_8);
	}

}
