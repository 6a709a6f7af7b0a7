package io.protoloop.demo.scale;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.demo.Waits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several processes on one host without a load balancer: two demo instances bind the same echo port with
 * {@code reuse-port: true} ({@code SO_REUSEPORT}), and the kernel spreads new connections between them. One
 * restarts (SIGTERM, exit, start) while echo clients keep connecting to the shared port: the other serves them,
 * and no connect fails.
 * <p>
 * What a shared port cannot promise: a connection the kernel had queued for the closing socket, or that the
 * stopping instance accepted just before it stopped, is cut before its first reply (reset by the kernel, unless
 * {@code net.ipv4.tcp_migrate_req=1} moves queued ones to the other socket, or closed by the drain). Each client
 * has one connection being made at a time, so at most two per client are cut (one accepted just before the stop,
 * then one queued until the socket is really closed): the test allows that, reports it, and fails on anything
 * else.
 */
@Timeout(240)
class ReusePortTests {

	/** The count of connections an endpoint accepted, in {@code GET /actuator/protoloop/{name}}. */
	private static final Pattern OPENED = Pattern.compile("\"connectionsOpened\":(\\d+)");

	private final List<DemoInstance> instances = new ArrayList<>();

	@AfterEach
	void stopAll() throws InterruptedException {
		for (DemoInstance instance : this.instances) {
			instance.close();
		}
	}

	/** Echo clients connecting to the shared port, each a new connection every few requests. */
	private static final int CLIENTS = 4;

	@Test
	void twoInstancesShareAPortAndOneRestartsWhileTheOtherServes(@TempDir Path directory) throws Exception {
		int echoPort = DemoInstance.freePort();
		for (String name : List.of("shared-1", "shared-2")) {
			Map<String, String> properties = DemoInstance.echoAndKvOnly();
			properties.put("protoloop.endpoints.echo.port", String.valueOf(echoPort));
			properties.put("protoloop.endpoints.echo.reuse-port", "true");
			properties.put("protoloop.endpoints.kv.port", "0");
			this.instances.add(new DemoInstance(name, directory, properties));
		}
		for (DemoInstance instance : this.instances) {
			instance.start();
			instance.awaitReady();
		}
		DemoInstance restarted = this.instances.get(0);
		DemoInstance other = this.instances.get(1);

		EchoClients.Figures figures;
		long restartedBefore;
		try (EchoClients clients = new EchoClients(new InetSocketAddress("127.0.0.1", echoPort), CLIENTS, 20)) {
			Waits.until("both instances accept connections on the shared port",
					() -> opened(restarted) > 0 && opened(other) > 0);
			restartedBefore = opened(restarted);
			long otherBefore = opened(other);
			assertThat(restarted.stop()).as("exit status on SIGTERM").isEqualTo(143);
			long otherDuringStop = opened(other) - otherBefore;
			restarted.start();
			restarted.awaitReady();
			Waits.until("the restarted instance takes its share again", () -> opened(restarted) > 0);
			figures = clients.stop();
			System.out.printf("Two instances on one port (reuse-port, net.ipv4.tcp_migrate_req=%s), one restarted while"
					+ " clients connect:%n  %s%n  %s accepted %d connections before its restart, %s %d while it was"
					+ " stopping%n", migrateRequests(), figures, restarted.name(), restartedBefore, other.name(),
					otherDuringStop);
			assertThat(otherDuringStop).as("connections the other instance took while the first one stopped").isPositive();
		}
		assertThat(figures.failedConnects()).as("failed connects (%s)", figures).isEmpty();
		assertThat(figures.failures()).as("failures after a first echo (%s)", figures).isEmpty();
		assertThat(figures.cutBeforeFirstEcho()).as("connections cut at the restart, at most two per client (%s)", figures)
			.hasSizeLessThanOrEqualTo(2 * CLIENTS);
	}

	/** The kernel's {@code net.ipv4.tcp_migrate_req}, for the output. */
	private static String migrateRequests() {
		try {
			return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req")).strip();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	/** Connections the instance's echo endpoint has accepted since it started (0 while it does not answer). */
	private static long opened(DemoInstance instance) {
		try {
			Matcher matcher = OPENED.matcher(instance.get("/actuator/protoloop/echo?limit=1"));
			return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
		}
		catch (IOException | InterruptedException ex) {
			return 0;
		}
	}

}
