package io.protoloop.demo.scale;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real HAProxy (Debian's {@code haproxy}; {@code .ci/run} installs it) run by a test on loopback with a
 * configuration the test writes, and read through its stats socket ({@code show stat}) to learn when it sees a
 * server UP or DOWN.
 */
final class Haproxy implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final Process process;

	private final Path statsSocket;

	private final Path log;

	private Haproxy(Process process, Path statsSocket, Path log) {
		this.process = process;
		this.statsSocket = statsSocket;
		this.log = log;
	}

	/** Skips the test, saying so, when HAProxy is not installed. */
	static void assumeInstalled() {
		assumeTrue(command() != null,
				"haproxy is not installed (apt-get install haproxy; .ci/run does): skipping the load-balancer test");
	}

	/**
	 * Starts HAProxy in the foreground with {@code config}, which must declare
	 * {@code stats socket <directory>/haproxy.sock level admin} (see {@link #statsSocket(Path)}).
	 * @param directory where the configuration, the socket and the log go
	 * @param config the configuration
	 * @param frontends the ports HAProxy binds, waited for
	 * @return the running HAProxy
	 */
	static Haproxy start(Path directory, String config, int... frontends) throws IOException, InterruptedException {
		Path file = directory.resolve("haproxy.cfg");
		Files.writeString(file, config);
		Path log = directory.resolve("haproxy.log");
		Process process = new ProcessBuilder(command(), "-db", "-f", file.toString()).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		Haproxy haproxy = new Haproxy(process, statsSocket(directory), log);
		for (int port : frontends) {
			haproxy.awaitListening(port);
		}
		return haproxy;
	}

	/** The stats socket's path in {@code directory}. */
	static Path statsSocket(Path directory) {
		return directory.resolve("haproxy.sock");
	}

	private static String command() {
		for (String directory : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
			if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "haproxy"))) {
				return Path.of(directory, "haproxy").toString();
			}
		}
		return null;
	}

	private void awaitListening(int port) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			try (Socket probe = new Socket()) {
				probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
				return;
			}
			catch (IOException notYet) {
				if (!this.process.isAlive() || System.nanoTime() > deadline) {
					fail("HAProxy does not listen on %d (alive: %s); its log:%n%s", port, this.process.isAlive(), log());
				}
				this.process.waitFor(20, TimeUnit.MILLISECONDS); // poll interval, returns early if it exits
			}
		}
	}

	/** Each server's status as HAProxy sees it ({@code UP}, {@code DOWN}, {@code UP 1/2}...), by "backend/server". */
	Map<String, String> serverStatus() throws IOException {
		String csv = command("show stat");
		List<String> lines = csv.lines().filter((line) -> !line.isBlank()).toList();
		List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
		int status = header.indexOf("status");
		Map<String, String> servers = new HashMap<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] fields = line.split(",", -1);
			if (!fields[1].equals("FRONTEND") && !fields[1].equals("BACKEND")) {
				servers.put(fields[0] + "/" + fields[1], fields[status]);
			}
		}
		return servers;
	}

	/** Waits until HAProxy reports {@code server} with exactly {@code status} in every backend. */
	void awaitStatus(String server, String status, Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!hasStatus(server, status)) {
			if (System.nanoTime() > deadline) {
				fail("HAProxy did not report %s %s within %s: %s", server, status, timeout, serverStatus());
			}
			this.process.waitFor(20, TimeUnit.MILLISECONDS); // poll interval
		}
	}

	/** Whether HAProxy reports {@code server} with exactly {@code status} in every backend that has it. */
	boolean hasStatus(String server, String status) throws IOException {
		Map<String, String> servers = serverStatus();
		List<String> of = servers.keySet().stream().filter((key) -> key.endsWith("/" + server)).toList();
		return !of.isEmpty() && of.stream().allMatch((key) -> servers.get(key).equals(status));
	}

	/** Runs one command on the stats socket and returns its whole answer, within {@link #TIMEOUT}. */
	private String command(String command) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
			channel.connect(UnixDomainSocketAddress.of(this.statsSocket));
			channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
			channel.configureBlocking(false);
			channel.register(selector, SelectionKey.OP_READ);
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(16384);
			while (true) { // HAProxy closes after one answer
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					fail("HAProxy did not answer '%s' within %s", command, TIMEOUT);
				}
				selector.select(left);
				selector.selectedKeys().clear();
				int read = channel.read(buffer);
				if (read < 0) {
					return answer.toString(StandardCharsets.US_ASCII);
				}
				answer.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
		}
	}

	/** HAProxy's own output. */
	String log() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	@Override
	public void close() {
		try {
			this.process.destroy();
			if (!this.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			// Closing is cleanup: keep the interrupt for the test that is ending.
			Thread.currentThread().interrupt();
		}
	}

}
