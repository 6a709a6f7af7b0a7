package io.protoloop.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real HAProxy (Debian's {@code haproxy}, which {@code .ci/run} installs) in front of a Protoloop server that
 * requires the PROXY protocol, with {@code send-proxy} (v1) and {@code send-proxy-v2}: the application sees each
 * client's own address and port, not HAProxy's. Skipped, saying so, where {@code haproxy} is not installed.
 */
@Timeout(60)
class HaproxyProxyProtocolTests {

	private final RunningLoop running = new RunningLoop("haproxy");

	/** What each connection's protocol saw as its peer, by the client port it reported. */
	private final ConcurrentHashMap<String, Object> peers = new ConcurrentHashMap<>();

	private Process haproxy;

	@BeforeEach
	void requireHaproxy() {
		assumeTrue(onPath("haproxy"), "haproxy is not installed (apt-get install haproxy): skipping the real-proxy test");
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.haproxy != null) {
			this.haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		this.running.close();
	}

	private static boolean onPath(String command) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return Files.isExecutable(Path.of("/usr/sbin", command));
	}

	/** Echoes, and records its peer under the first line the client sends. */
	final class Recording extends RecordingProtocol {

		@Override
		public void dataReceived(ByteBuffer data) {
			super.dataReceived(data);
			String line = new String(received(), StandardCharsets.US_ASCII);
			if (line.endsWith("\n")) {
				HaproxyProxyProtocolTests.this.peers.put(line.strip(), transport().getExtraInfo(ExtraInfo.PEERNAME));
				transport().write("ok\n".getBytes(StandardCharsets.US_ASCII));
			}
		}

	}

	@Test
	void theApplicationSeesEachClientBehindHaproxyWithV1AndV2Headers(@TempDir Path directory) throws Exception {
		Server server = await(this.running.loop().createServer(Recording::new, ServerOptions.builder()
			.hosts("127.0.0.1")
			.proxyProtocol(ProxyProtocol.REQUIRED)
			.build()));
		int backend = ((InetSocketAddress) server.addresses().get(0)).getPort();
		int v1 = freePort();
		int v2 = freePort();
		Path config = directory.resolve("haproxy.cfg");
		Files.writeString(config, String.join("\n",
				"defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 30s", "  timeout server 30s",
				"frontend v1", "  bind 127.0.0.1:" + v1, "  default_backend v1",
				"backend v1", "  server protoloop 127.0.0.1:" + backend + " send-proxy",
				"frontend v2", "  bind 127.0.0.1:" + v2, "  default_backend v2",
				"backend v2", "  server protoloop 127.0.0.1:" + backend + " send-proxy-v2", ""));
		this.haproxy = new ProcessBuilder(haproxyCommand(), "-db", "-f", config.toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("haproxy.log").toFile())
			.start();

		for (int port : new int[] { v1, v2 }) {
			try (Socket client = connectWhenListening(port)) {
				String name = "client-" + port;
				client.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
				assertThat(new String(client.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("ok\n");
				assertThat(this.peers.get(name)).as("the peer the application saw through " + port)
					.isEqualTo(client.getLocalSocketAddress());
			}
		}
	}

	private static String haproxyCommand() {
		return Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return probe.getLocalPort();
		}
	}

	/** Connects once HAProxy listens (it starts in the background), within the test's timeout. */
	private Socket connectWhenListening(int port) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (true) {
			try {
				Socket socket = new Socket("127.0.0.1", port);
				socket.setSoTimeout((int) RunningLoop.TIMEOUT.toMillis());
				return socket;
			}
			catch (java.net.ConnectException notYet) {
				assertThat(this.haproxy.isAlive()).as("haproxy is running").isTrue();
				assertThat(System.nanoTime()).as("haproxy listens on " + port).isLessThan(deadline);
				this.haproxy.waitFor(20, TimeUnit.MILLISECONDS);
			}
		}
	}

}
