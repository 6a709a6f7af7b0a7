package io.protoloop.demo.scale;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.demo.Waits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out behind a real load balancer: HAProxy on loopback in front of three demo instances, in TCP mode with
 * {@code send-proxy-v2}, checking each instance's readiness over HTTP, balancing the echo and kv endpoints. While
 * echo clients (verifying every byte) and {@code redis-benchmark} (a connection per request) run through it, the
 * instances restart one at a time: SIGTERM, wait for the exit, start again, wait until HAProxy sees it UP.
 * <p>
 * Nothing is lost: readiness goes DOWN on SIGTERM, HAProxy stops routing to the instance within
 * {@code inter x fall} (500 ms here), and the endpoints go on accepting for {@code protoloop.shutdown.drain-delay}
 * (2 s) before they stop, so no client that connects during a restart fails; connections open at the drain are
 * closed cleanly with every echoed byte delivered, and their clients connect again. The figures are printed, and
 * quoted in docs/operations.md ("Scale-out").
 */
@Timeout(300)
class RollingRestartTests {

	/** How long each instance goes on accepting after its readiness went DOWN. */
	static final Duration DRAIN_DELAY = Duration.ofSeconds(2);

	/** A peer address in the {@code protoloop} Actuator endpoint's connection list. */
	private static final Pattern PEER = Pattern.compile("\"peer\":\"/127\\.0\\.0\\.1:(\\d+)\"");

	private final List<DemoInstance> instances = new ArrayList<>();

	private Haproxy haproxy;

	@AfterEach
	void stopAll() throws InterruptedException {
		for (DemoInstance instance : this.instances) {
			instance.close();
		}
		if (this.haproxy != null) {
			this.haproxy.close();
		}
	}

	@Test
	void instancesRestartOneAtATimeBehindHaproxyWithoutAFailedRequest(@TempDir Path directory) throws Exception {
		Haproxy.assumeInstalled();
		for (String name : List.of("demo-1", "demo-2", "demo-3")) {
			Map<String, String> properties = DemoInstance.echoAndKvOnly();
			properties.put("protoloop.endpoints.echo.port", String.valueOf(DemoInstance.freePort()));
			properties.put("protoloop.endpoints.kv.port", String.valueOf(DemoInstance.freePort()));
			properties.put("protoloop.endpoints.echo.proxy-protocol", "required");
			properties.put("protoloop.endpoints.kv.proxy-protocol", "required");
			properties.put("protoloop.shutdown.drain-delay", DRAIN_DELAY.toMillis() + "ms");
			this.instances.add(new DemoInstance(name, directory, properties));
		}
		for (DemoInstance instance : this.instances) {
			instance.start();
		}
		for (DemoInstance instance : this.instances) {
			instance.awaitReady();
		}
		int echoPort = DemoInstance.freePort();
		int kvPort = DemoInstance.freePort();
		this.haproxy = Haproxy.start(directory, haproxyConfig(Haproxy.statsSocket(directory), echoPort, kvPort, this.instances),
				echoPort, kvPort);
		for (DemoInstance instance : this.instances) {
			this.haproxy.awaitStatus(instance.name(), "UP", Duration.ofSeconds(30));
		}

		EchoClients.Figures echo;
		EchoClients.Figures longLived;
		RedisBenchmarkRuns.Figures kv = null;
		List<String> restarts = new ArrayList<>();
		boolean redis = RedisBenchmarkRuns.installed();
		InetSocketAddress echoFrontend = new InetSocketAddress("127.0.0.1", echoPort);
		try (EchoClients clients = new EchoClients(echoFrontend, 6, 300);
				EchoClients stayers = new EchoClients(echoFrontend, 3, Integer.MAX_VALUE);
				RedisBenchmarkRuns benchmark = redis ? new RedisBenchmarkRuns(kvPort, directory.resolve("redis-benchmark.txt")) : null) {
			Waits.until("the echo clients are served", () -> clients.requests() > 1000);
			for (DemoInstance instance : this.instances) {
				restarts.add(restart(instance));
			}
			long after = clients.requests();
			Waits.until("the echo clients are served after the last restart", () -> clients.requests() > after + 1000);
			echo = clients.stop();
			longLived = stayers.stop();
			if (benchmark != null) {
				kv = benchmark.stop();
			}
		}
		Map<String, Set<Integer>> echoPeers = peersSeenThroughHaproxy("echo", echoPort, "x", "x");
		Map<String, Set<Integer>> kvPeers = peersSeenThroughHaproxy("kv", kvPort, "PING\r\n", "+PONG\r\n");

		System.out.printf("Rolling restart of 3 instances behind HAProxy (drain-delay %ds, inter 250ms fall 2):%n",
				DRAIN_DELAY.toSeconds());
		restarts.forEach((line) -> System.out.println("  " + line));
		System.out.println("  echo, short connections (up to 300 requests): " + echo);
		System.out.println("  echo, connections kept until drained: " + longLived);
		System.out.println("  kv:   " + ((kv != null) ? kv : "redis-benchmark is not installed: not measured"));
		for (EchoClients.Figures figures : List.of(echo, longLived)) {
			assertThat(figures.failedConnects()).as("failed connects (%s)", figures).isEmpty();
			assertThat(figures.cutBeforeFirstEcho()).as("connections not served (%s)", figures).isEmpty();
			assertThat(figures.failures()).as("other failures (%s)", figures).isEmpty();
		}
		assertThat(longLived.drainedCloses()).as("connections open across a restart, drained and reconnected")
			.isPositive();
		if (kv != null) {
			assertThat(kv.failures()).as("redis-benchmark failures (%s)", kv).isEmpty();
			assertThat(kv.runs()).as("redis-benchmark runs through the restarts").isPositive();
		}
		for (DemoInstance instance : this.instances) {
			assertThat(instance.starts()).isEqualTo(2);
			assertThat(Files.readString(instance.log())).as("%s's log", instance.name())
				.contains("Readiness is REFUSING_TRAFFIC; Protoloop endpoints keep accepting for " + DRAIN_DELAY.toMillis() + "ms")
				.doesNotContain("did not drain within");
			assertThat(echoPeers.get(instance.name())).as("echo clients' ports as %s saw them (PROXY v2)", instance.name())
				.isNotEmpty();
			assertThat(kvPeers.get(instance.name())).as("kv clients' ports as %s saw them (PROXY v2)", instance.name())
				.isNotEmpty();
		}
	}

	@Test
	void docsShowTheHaproxyConfigurationThisTestUses(@TempDir Path directory) throws IOException {
		List<DemoInstance> three = new ArrayList<>();
		for (String name : List.of("demo-1", "demo-2", "demo-3")) {
			three.add(new DemoInstance(name, directory, Map.of("protoloop.endpoints.echo.port", "7007",
					"protoloop.endpoints.kv.port", "6380")));
		}
		String operations = Files.readString(Path.of("..", "docs", "operations.md"));
		int section = operations.indexOf("### The HAProxy configuration");
		assertThat(section).as("docs/operations.md's HAProxy section").isPositive();
		int start = operations.indexOf("```\n", section) + 4;
		String documented = operations.substring(start, operations.indexOf("```", start));
		assertThat(withoutPortsAndPaths(documented)).as("docs/operations.md's HAProxy configuration, ports aside")
			.isEqualTo(withoutPortsAndPaths(haproxyConfig(Path.of("/run/haproxy/admin.sock"), 7007, 6380, three)));
	}

	private static String withoutPortsAndPaths(String config) {
		return config.replaceAll("stats socket \\S+", "stats socket PATH").replaceAll(":\\d+|port \\d+", ":PORT").strip();
	}

	/**
	 * Restarts one instance as an orchestrator does and checks HAProxy stopped routing to it before it exited.
	 * @return what happened, with timings, for the test's output
	 */
	private String restart(DemoInstance instance) throws IOException, InterruptedException {
		long sigterm = System.nanoTime();
		instance.sigterm();
		long down = 0;
		while (!instance.awaitExit(Duration.ofMillis(20))) { // poll interval; bounded by awaitExit() below
			if (down == 0 && this.haproxy.hasStatus(instance.name(), "DOWN")) {
				down = System.nanoTime();
			}
			if (System.nanoTime() - sigterm > DemoInstance.PROCESS_TIMEOUT.toNanos()) {
				break;
			}
		}
		int status = instance.awaitExit();
		long exited = System.nanoTime();
		assertThat(status).as("%s's exit status on SIGTERM (a graceful shutdown)", instance.name()).isEqualTo(143);
		assertThat(down).as("HAProxy saw %s DOWN before it exited", instance.name()).isPositive();
		instance.start();
		instance.awaitReady();
		this.haproxy.awaitStatus(instance.name(), "UP", Duration.ofSeconds(30));
		long up = System.nanoTime();
		return "%s: HAProxy saw it DOWN %d ms after SIGTERM, it exited after %d ms, UP again after %d ms".formatted(
				instance.name(), Duration.ofNanos(down - sigterm).toMillis(), Duration.ofNanos(exited - sigterm).toMillis(),
				Duration.ofNanos(up - sigterm).toMillis());
	}

	/**
	 * The HAProxy configuration of docs/operations.md ("Scale-out"): TCP mode, PROXY v2 to each instance, checks of
	 * its readiness on its HTTP port.
	 */
	private static String haproxyConfig(Path statsSocket, int echoPort, int kvPort, List<DemoInstance> instances) {
		StringBuilder config = new StringBuilder("""
				global
				  stats socket %s mode 600 level admin
				defaults
				  mode tcp
				  timeout connect 2s
				  timeout client 60s
				  timeout server 60s
				  timeout check 2s
				  default-server inter 250ms fall 2 rise 2 send-proxy-v2
				""".formatted(statsSocket));
		for (String endpoint : List.of("echo", "kv")) {
			config.append("""
					frontend %1$s
					  bind 127.0.0.1:%2$d
					  default_backend %1$s
					backend %1$s
					  balance roundrobin
					  option httpchk GET /actuator/health/readiness
					  http-check expect status 200
					""".formatted(endpoint, endpoint.equals("echo") ? echoPort : kvPort));
			for (DemoInstance instance : instances) {
				config.append("  server %s 127.0.0.1:%d check port %d%n".formatted(instance.name(), instance.port(endpoint),
						instance.managementPort()));
			}
		}
		return config.toString();
	}

	/**
	 * Opens two connections per instance through HAProxy (round robin gives each instance two), makes one request
	 * on each, and returns, by instance, which of these clients' ports the instance lists as its peers: with
	 * PROXY v2 it sees the clients' own addresses, not HAProxy's.
	 */
	private Map<String, Set<Integer>> peersSeenThroughHaproxy(String endpoint, int port, String request, String reply)
			throws IOException, InterruptedException {
		List<Socket> clients = new ArrayList<>();
		try {
			Set<Integer> ports = new HashSet<>();
			for (int i = 0; i < 2 * this.instances.size(); i++) {
				Socket client = new Socket("127.0.0.1", port);
				clients.add(client);
				client.setSoTimeout((int) Waits.WAIT.toMillis());
				client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
				assertThat(new String(client.getInputStream().readNBytes(reply.length()), StandardCharsets.US_ASCII))
					.isEqualTo(reply);
				ports.add(client.getLocalPort());
			}
			Map<String, Set<Integer>> seen = new HashMap<>();
			for (DemoInstance instance : this.instances) {
				Set<Integer> peers = new HashSet<>();
				Matcher matcher = PEER.matcher(instance.get("/actuator/protoloop/" + endpoint + "?limit=1000"));
				while (matcher.find()) {
					int peer = Integer.parseInt(matcher.group(1));
					if (ports.contains(peer)) {
						peers.add(peer);
					}
				}
				seen.put(instance.name(), peers);
			}
			return seen;
		}
		finally {
			for (Socket client : clients) {
				client.close();
			}
		}
	}

}
