package io.protoloop.demo;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.protoloop.boot.context.LocalEndpointPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The demo's meters through a real Prometheus server: the application on random ports, a {@code prometheus}
 * process scraping {@code /actuator/prometheus} every second, a TCP client that makes the echo endpoint pause
 * and then resume writing, and PromQL queries over the flow-control meters. Skipped when no {@code prometheus}
 * binary (Debian package {@code prometheus}, or {@code -Dprometheus.binary=...}) can start.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
				"protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.host=127.0.0.1" })
@DirtiesContext // closes the application, and its Unix socket, before the class's temporary directory goes
@Timeout(180)
class PrometheusEndToEndTests {

	/** The common tag of application.yml: every meter carries it. */
	private static final String APPLICATION = "protoloop-demo";

	/** What the client sends: far more than the echo's high watermark (64 KB) plus every socket buffer. */
	private static final int FLOOD_SIZE = 32 * 1024 * 1024;

	/** The echo endpoint's low watermark: a paused connection's write buffer stays above it. */
	private static final int LOW_WATERMARK = 16 * 1024;

	/** Bound on Prometheus becoming ready. */
	private static final Duration STARTUP = Duration.ofSeconds(30);

	/** Bound on each PromQL query returning what it should. */
	private static final Duration QUERY_WAIT = Duration.ofSeconds(60);

	/** Pause between two looks at the external process. */
	private static final Duration POLL = Duration.ofMillis(200);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final ExecutorService writers = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "prometheus-test-writer");
		thread.setDaemon(true);
		return thread;
	});

	@TempDir
	static Path socketDirectory;

	@LocalServerPort
	int serverPort;

	@LocalEndpointPort("echo")
	int echoPort;

	@DynamicPropertySource
	static void unixSocketInTemporaryDirectory(DynamicPropertyRegistry registry) {
		registry.add("protoloop.endpoints.echo-unix.path", () -> socketDirectory.resolve("echo.sock").toString());
	}

	@AfterAll
	static void stopWriters() {
		writers.shutdownNow();
	}

	@Test
	@SuppressWarnings("try") // PrometheusServer.close() may be interrupted: the test ends either way
	void prometheusSeesTheEchoEndpointPauseAndResumeWriting(@TempDir Path prometheusDirectory) throws Exception {
		try (PrometheusServer prometheus = PrometheusServer.start(prometheusDirectory, this.serverPort)) {
			prometheus.awaitQuery("up{job=\"protoloop-demo\"} == 1");
			prometheus.awaitQuery("protoloop_connections_active{application=\"%s\",endpoint=\"echo\",kind=\"tcp\"}"
				.formatted(APPLICATION));

			try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", this.echoPort))) {
				CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> flood(client), writers);

				// The client does not read: the echo's transport pauses its protocol, and stays paused.
				prometheus.awaitQuery(flowEvents("write", "pause") + " >= 1");
				prometheus.awaitQuery(flowEvents("read", "pause") + " >= 1");
				prometheus.awaitQuery(echo("protoloop_write_buffer_at_pause_bytes_count") + " >= 1");
				prometheus.awaitQuery("max(%s) > %d".formatted(echo("protoloop_write_buffer_largest_bytes"),
						LOW_WATERMARK));

				// Now it reads everything: the transport resumes its protocol, which finishes the echo.
				assertThat(readToEnd(client)).isEqualTo(FLOOD_SIZE);
				assertThat(sent.get(QUERY_WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(FLOOD_SIZE);
			}
			prometheus.awaitQuery(flowEvents("write", "resume") + " >= 1");
			prometheus.awaitQuery(flowEvents("read", "resume") + " >= 1");
			prometheus.awaitQuery("sum(%s) >= 1".formatted(echo("protoloop_flow_paused_seconds_count",
					"direction=\"write\"")));
			prometheus.awaitQuery("sum(%s) >= %d".formatted(echo("protoloop_bytes_total", "direction=\"read\""),
					FLOOD_SIZE));
		}
	}

	/** Returns the PromQL sum of the echo endpoint's flow-control calls in one direction. */
	private static String flowEvents(String direction, String event) {
		return "sum(%s)".formatted(echo("protoloop_flow_events_total",
				"direction=\"%s\",event=\"%s\"".formatted(direction, event)));
	}

	/** Returns a selector of the echo endpoint's series of {@code metric}, with more matchers if given. */
	private static String echo(String metric, String... matchers) {
		StringBuilder selector = new StringBuilder(metric).append("{application=\"")
			.append(APPLICATION)
			.append("\",endpoint=\"echo\"");
		for (String matcher : matchers) {
			selector.append(',').append(matcher);
		}
		return selector.append('}').toString();
	}

	/** Writes {@link #FLOOD_SIZE} bytes, then shuts the output down (the client's EOF). */
	private static long flood(SocketChannel client) {
		try {
			ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
			long written = 0;
			while (written < FLOOD_SIZE) {
				chunk.clear().limit((int) Math.min(chunk.capacity(), FLOOD_SIZE - written));
				while (chunk.hasRemaining()) {
					written += client.write(chunk);
				}
			}
			client.shutdownOutput();
			return written;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writer failed", ex);
		}
	}

	/** Reads until the server closes; the test's {@code @Timeout} bounds it. */
	private static long readToEnd(SocketChannel client) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		long length = 0;
		for (int read = client.read(buffer); read != -1; read = client.read(buffer)) {
			length += read;
			buffer.clear();
		}
		return length;
	}

	/** A {@code prometheus} process of its own: a free port, and its configuration, data and log in a directory. */
	@SuppressWarnings("try") // close() waits for the process to end, and may be interrupted
	private static final class PrometheusServer implements AutoCloseable {

		/** How often to try again when another process took the free port first. */
		private static final int ATTEMPTS = 3;

		private final Process process;

		private final URI uri;

		private final Path log;

		private PrometheusServer(Process process, int port, Path log) {
			this.process = process;
			this.uri = URI.create("http://127.0.0.1:" + port);
			this.log = log;
		}

		/** Starts Prometheus scraping the application, or skips the test when it cannot start. */
		static PrometheusServer start(Path directory, int applicationPort) throws IOException, InterruptedException {
			Path binary = binary();
			Assumptions.assumeTrue(binary != null, "No prometheus binary: install the Debian package prometheus "
					+ "(/usr/bin/prometheus) or pass -Dprometheus.binary=<path>");
			Path config = directory.resolve("prometheus.yml");
			Files.writeString(config, configTemplate().replace("{{target}}", "127.0.0.1:" + applicationPort));
			for (int attempt = 1;; attempt++) {
				int port = freePort();
				Path log = directory.resolve("prometheus-" + attempt + ".log");
				Process process;
				try {
					process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
							"--storage.tsdb.path=" + directory.resolve("data"),
							"--web.listen-address=127.0.0.1:" + port)
						.redirectErrorStream(true)
						.redirectOutput(log.toFile())
						.start();
				}
				catch (IOException ex) {
					Assumptions.abort("Could not run " + binary + ": " + ex);
					throw ex;
				}
				PrometheusServer server = new PrometheusServer(process, port, log);
				String problem = server.awaitReady();
				if (problem == null) {
					return server;
				}
				server.close();
				String output = server.logTail();
				if (attempt < ATTEMPTS && output.contains("address already in use")) {
					continue;
				}
				Assumptions.abort("Prometheus (" + binary + ") could not start: " + problem + "; its log:\n"
						+ output);
			}
		}

		/** Returns {@code -Dprometheus.binary}, else {@code prometheus} on the PATH, else {@code null}. */
		private static Path binary() {
			String configured = System.getProperty("prometheus.binary");
			if (configured != null && !configured.isBlank()) {
				return Path.of(configured);
			}
			String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
			for (String directory : List.of((path + File.pathSeparator + "/usr/bin").split(File.pathSeparator))) {
				if (!directory.isEmpty()) {
					Path candidate = Path.of(directory, "prometheus");
					if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
						return candidate;
					}
				}
			}
			return null;
		}

		private static String configTemplate() throws IOException {
			String name = "/prometheus/prometheus-test.yml";
			try (InputStream in = PrometheusEndToEndTests.class.getResourceAsStream(name)) {
				assertThat(in).as(name + " on the test class path").isNotNull();
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
		}

		private static int freePort() throws IOException {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
		}

		/** Waits for {@code /-/ready}; returns {@code null} once ready, else why not. */
		private String awaitReady() throws InterruptedException {
			long deadline = System.nanoTime() + STARTUP.toNanos();
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					return "it exited with code " + this.process.exitValue();
				}
				try {
					if (get("/-/ready").statusCode() == 200) {
						return null;
					}
				}
				catch (ConnectException ex) {
					// Not listening yet.
				}
				catch (IOException ex) {
					// Listening, not answering yet.
				}
				Thread.sleep(POLL.toMillis());
			}
			return "not ready within " + STARTUP;
		}

		/**
		 * Evaluates {@code query} until it returns at least one series, failing after {@link #QUERY_WAIT} with
		 * the last answer, the scrape targets and Prometheus's log.
		 */
		JsonNode awaitQuery(String query) throws InterruptedException {
			String path = "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
			long deadline = System.nanoTime() + QUERY_WAIT.toNanos();
			String last = "no answer";
			while (true) {
				try {
					HttpResponse<String> response = get(path);
					last = response.statusCode() + " " + response.body();
					JsonNode result = json.readTree(response.body()).path("data").path("result");
					if (response.statusCode() == 200 && result.isArray() && !result.isEmpty()) {
						return result;
					}
				}
				catch (IOException ex) {
					last = ex.toString();
				}
				if (!this.process.isAlive()) {
					fail("Prometheus exited with code %d while waiting for %s; its log:%n%s",
							this.process.exitValue(), query, logTail());
				}
				if (System.nanoTime() > deadline) {
					fail("Prometheus did not return %s within %s.%nLast answer: %s%nTargets: %s%nIts log:%n%s", query,
							QUERY_WAIT, last, targets(), logTail());
				}
				Thread.sleep(POLL.toMillis());
			}
		}

		private String targets() {
			try {
				return get("/api/v1/targets?state=active").body();
			}
			catch (IOException | InterruptedException ex) {
				return ex.toString();
			}
		}

		private HttpResponse<String> get(String path) throws IOException, InterruptedException {
			HttpRequest request = HttpRequest.newBuilder(this.uri.resolve(path))
				.timeout(Duration.ofSeconds(5))
				.build();
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}

		/** Returns the last 8 KB of the log. */
		String logTail() {
			try {
				String text = Files.readString(this.log);
				return (text.length() > 8192) ? "..." + text.substring(text.length() - 8192) : text;
			}
			catch (IOException ex) {
				return "(no log: " + ex + ")";
			}
		}

		/** Stops the process: SIGTERM, then SIGKILL, each waited for a bounded time. */
		@Override
		public void close() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}

	}

}
