package io.protoloop.demo.scale;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.protoloop.demo.DemoApplication;

import static org.assertj.core.api.Assertions.fail;

/**
 * One demo application in a JVM of its own, as an operator runs it: started on this test's class path with
 * {@code --property=value} arguments, stopped with SIGTERM ({@link Process#destroy()}), and started again on the
 * same ports. Its output goes to {@code <name>.log} in the test's directory, quoted when it fails to start.
 */
final class DemoInstance implements AutoCloseable {

	/** Bound on a start (to readiness) and on a stop (to the process's exit), on two busy cores. */
	static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String name;

	private final Path directory;

	private final Map<String, String> properties;

	private final int managementPort;

	private Process process;

	private int starts;

	/**
	 * @param name the instance's name, as HAProxy's server and in its log file's name
	 * @param directory where its logs go
	 * @param properties its settings beyond the demo's application.yml (ports, PROXY protocol, drain)
	 */
	DemoInstance(String name, Path directory, Map<String, String> properties) throws IOException {
		this.name = name;
		this.directory = directory;
		this.managementPort = freePort();
		this.properties = new LinkedHashMap<>(properties);
		this.properties.put("server.port", String.valueOf(this.managementPort));
	}

	/** The settings every instance of these tests shares: only echo and kv, one loop, no probe client. */
	static Map<String, String> echoAndKvOnly() {
		Map<String, String> properties = new LinkedHashMap<>();
		for (String unused : List.of("echo-udp", "echo-unix", "echo-tls", "starttls")) {
			properties.put("protoloop.endpoints." + unused + ".enabled", "false");
		}
		properties.put("demo.probe.interval", "0s");
		properties.put("protoloop.loop.threads", "1");
		properties.put("management.endpoint.health.group.readiness.include", "readinessState,protoloop");
		return properties;
	}

	/** A port free at the time of the call, on loopback. */
	static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return probe.getLocalPort();
		}
	}

	String name() {
		return this.name;
	}

	/** The HTTP port of the application and of Actuator (server.port). */
	int managementPort() {
		return this.managementPort;
	}

	/** The port of a Protoloop endpoint, as set in this instance's properties. */
	int port(String endpoint) {
		return Integer.parseInt(this.properties.get("protoloop.endpoints." + endpoint + ".port"));
	}

	/** Starts the JVM; {@link #awaitReady()} waits for it to serve. */
	void start() throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// Small and quick to start: three of these share two cores with the build.
				"-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
				DemoApplication.class.getName()));
		this.properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		this.starts++;
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
			.start();
	}

	/** Waits until {@code /actuator/health/readiness} answers 200: every endpoint is accepting. */
	void awaitReady() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
		while (readinessStatus() != 200) {
			if (!this.process.isAlive() || System.nanoTime() > deadline) {
				fail("%s did not become ready within %s (alive: %s); its log:%n%s", this.name, PROCESS_TIMEOUT,
						this.process.isAlive(), logTail());
			}
			this.process.waitFor(100, TimeUnit.MILLISECONDS); // poll interval, returns early if it exits
		}
	}

	/** The HTTP status of the readiness group, or 0 while nothing answers. */
	int readinessStatus() throws InterruptedException {
		try {
			return http.send(request("/actuator/health/readiness"), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException notListening) {
			return 0;
		}
	}

	/** GETs an Actuator path and returns its body, failing on any status but 200. */
	String get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			fail("GET %s on %s answered %d: %s", path, this.name, response.statusCode(), response.body());
		}
		return response.body();
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path))
			.timeout(Duration.ofSeconds(10))
			.build();
	}

	/** Sends SIGTERM: the graceful shutdown begins (readiness DOWN, drain delay, drain). */
	void sigterm() {
		this.process.destroy();
	}

	/** Waits up to {@code timeout} for the process to exit; returns whether it has. */
	boolean awaitExit(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Sends SIGTERM and waits for the graceful shutdown to end; returns the exit status. */
	int stop() throws InterruptedException {
		sigterm();
		return awaitExit();
	}

	/** Waits for the process to exit after {@link #sigterm()}; returns the exit status. */
	int awaitExit() throws InterruptedException {
		if (!this.process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			fail("%s did not exit within %s of SIGTERM; its log:%n%s", this.name, PROCESS_TIMEOUT, logTail());
		}
		return this.process.exitValue();
	}

	/** Whether the JVM is running. */
	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** How many times this instance was started. */
	int starts() {
		return this.starts;
	}

	Path log() {
		return this.directory.resolve(this.name + ".log");
	}

	/** The end of the instance's log, for failure messages. */
	String logTail() {
		try {
			String log = Files.readString(log(), StandardCharsets.UTF_8);
			return log.substring(Math.max(0, log.length() - 6000));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	/** Kills what is left, for the end of a test that failed half way. */
	@Override
	public void close() {
		try {
			if (this.process != null && this.process.isAlive()) {
				this.process.destroyForcibly().waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			// Closing is cleanup: keep the interrupt for the test that is ending.
			Thread.currentThread().interrupt();
		}
	}

}
