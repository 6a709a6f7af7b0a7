package io.protoloop.boot.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a DevTools restart does: the application's context is closed and a new one started in the same JVM, on
 * the same fixed addresses. Three contexts in a row bind the same tcp and udp port and unix socket path, while
 * the connections the closed context ended (closing first, so their ports wait in TIME_WAIT) are still fresh,
 * and each serves.
 */
@Timeout(60)
class RestartTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@TempDir
	Path directory;

	@Test
	void closingTheContextAndStartingItAgainRebindsEveryEndpointOnTheSameAddress() throws IOException {
		int tcpPort = freeTcpPort();
		int udpPort = freeUdpPort();
		Path socket = this.directory.resolve("local.sock");
		String[] properties = { "protoloop.loop.threads=1",
				"protoloop.endpoints.numbering.host=" + LOOPBACK.getHostAddress(),
				"protoloop.endpoints.numbering.port=" + tcpPort,
				"protoloop.endpoints.shout.host=" + LOOPBACK.getHostAddress(),
				"protoloop.endpoints.shout.port=" + udpPort, "protoloop.endpoints.local.path=" + socket };
		for (int start = 1; start <= 3; start++) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
				.web(WebApplicationType.NONE)
				.properties(properties)
				.run();
			SocketChannel leftOpen;
			try {
				assertThat(context.getEnvironment().getProperty("local.protoloop.endpoints.numbering.port"))
					.as("start %d", start)
					.isEqualTo(String.valueOf(tcpPort));
				leftOpen = SocketChannel.open(new InetSocketAddress(LOOPBACK, tcpPort));
				assertThat(readLine(leftOpen)).startsWith("connection ");
				assertThat(shout(udpPort, "start " + start)).isEqualTo("START " + start);
				try (SocketChannel unix = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
					unix.write(ByteBuffer.wrap(("start " + start + "\n").getBytes(StandardCharsets.UTF_8)));
					assertThat(readLine(unix)).isEqualTo("start " + start);
				}
			}
			finally {
				context.close();
			}
			// The server ended the connection first: its side of it is in TIME_WAIT while the next context binds.
			try (leftOpen) {
				assertThat(Channels.newInputStream(leftOpen).read()).as("end of stream").isEqualTo(-1);
			}
		}
	}

	private static int freeTcpPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
			return socket.getLocalPort();
		}
	}

	private static int freeUdpPort() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			return socket.getLocalPort();
		}
	}

	private static String shout(int port, String text) throws IOException {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
			socket.setSoTimeout(10_000);
			byte[] data = text.getBytes(StandardCharsets.UTF_8);
			socket.send(new DatagramPacket(data, data.length, LOOPBACK, port));
			DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
			socket.receive(reply);
			return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
		}
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
