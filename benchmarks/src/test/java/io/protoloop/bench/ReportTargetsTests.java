package io.protoloop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The summary's targets: the native backend's block (protoloop-epoll against Netty's native transports,
 * protoloop-udp-epoll against Netty epoll's UDP) and the kv target for both kv servers, each a "MET" or "NOT MET"
 * line with the worst ratio and where it was; a native server that could not run is said not to have been checked.
 */
class ReportTargetsTests {

	private static final Scenario ONE = Scenario.pingPong(1, 64);

	private static final Scenario HUNDRED = Scenario.pingPong(100, 64);

	private static final Scenario UDP_ONE = Scenario.udpPingPong(1, 64);

	private static final Scenario KV = Scenario.kv(1);

	private final List<Sample> samples = new ArrayList<>();

	@Test
	void theNativeBlockChecksEachFigureAndNamesTheWorst() {
		measure(ONE, "protoloop-epoll", 8, 20);
		measure(ONE, "netty-epoll", 10, 22);
		measure(ONE, "netty-io_uring", 9, 25);
		measure(HUNDRED, "protoloop-epoll", 6, 30);
		measure(HUNDRED, "netty-epoll", 6.5, 31);
		measure(HUNDRED, "netty-io_uring", 7, 30);
		measure(UDP_ONE, "protoloop-udp-epoll", 5, Double.NaN);
		measure(UDP_ONE, "netty-epoll-udp", 6, Double.NaN);
		String summary = new Report(List.of("protoloop-epoll", "netty-epoll", "netty-io_uring", "protoloop-udp-epoll",
				"netty-epoll-udp"), List.of(ONE, HUNDRED, UDP_ONE), this.samples, List.of(), Map.of()).render();
		assertThat(summary).contains("Native backend (issue 16), epoll through FFM:",
				"Target (issue 16), protoloop-epoll CPU/req <= 0.90x netty-epoll on every ping-pong figure: NOT MET"
						+ " (worst 0.92x, 100 conn x 64 B)",
				"Target (issue 16), protoloop-epoll CPU/req <= 1.00x netty-io_uring on every ping-pong figure: MET"
						+ " (worst 0.89x, 1 conn x 64 B)",
				"Target (issue 16), protoloop-epoll p99 <= 1.00x netty-io_uring on every ping-pong figure: MET"
						+ " (worst 1.00x, 100 conn x 64 B)",
				"Target (issue 16), protoloop-udp-epoll CPU/dgram <= 0.90x netty-epoll-udp on every UDP figure: MET"
						+ " (worst 0.83x, 1 flow x 64 B)");
		assertThat(summary.lines().filter((line) -> line.startsWith("1 conn x 64 B      protoloop-epoll")))
			.as("a row of its own in the ping-pong table").hasSize(1);
	}

	@Test
	void aNativeServerThatCouldNotRunIsNotChecked() {
		measure(ONE, "netty-epoll", 10, 22);
		String summary = new Report(List.of("protoloop-epoll", "netty-epoll"), List.of(ONE), this.samples, List.of(),
				Map.of("protoloop-epoll", "protoloop-epoll is unavailable: it needs Java 22 or later (this is Java 17)"))
			.render();
		assertThat(summary).contains(
				"Not measured: protoloop-epoll is unavailable: it needs Java 22 or later (this is Java 17)",
				"Not checked: protoloop-epoll did not run");
		assertThat(summary).doesNotContain("MET");
	}

	@Test
	void aBaselineWithoutFiguresLeavesTheTargetUnchecked() {
		measure(ONE, "protoloop-epoll", 8, 20);
		measure(ONE, "netty-epoll", 10, 22);
		String summary = new Report(List.of("protoloop-epoll", "netty-epoll", "netty-io_uring"), List.of(ONE),
				this.samples, List.of(), Map.of("netty-io_uring", "netty-io_uring is unavailable: refused")).render();
		assertThat(summary).contains("Target (issue 16), protoloop-epoll CPU/req <= 0.90x netty-epoll on every"
				+ " ping-pong figure: MET (worst 0.80x, 1 conn x 64 B)",
				"Target (issue 16), protoloop-epoll CPU/req <= 1.00x netty-io_uring on every ping-pong figure: not"
						+ " checked (netty-io_uring has no figures)");
	}

	@Test
	void theKvTargetIsCheckedForBothKvServersAgainstRedis() {
		this.samples.add(new Sample(1, KV, "protoloop-kv", 900_000, 10, 7, 0, 10, 0, 0, Double.NaN, Double.NaN,
				Double.NaN));
		this.samples.add(new Sample(1, KV, "protoloop-kv-epoll", 700_000, 10, 6, 0, 10, 0, 0, Double.NaN, Double.NaN,
				Double.NaN));
		this.samples.add(new Sample(1, KV, "redis-server", 1_000_000, 10, 8, 0, 10, 0, 0, Double.NaN, Double.NaN,
				Double.NaN));
		String summary = new Report(List.of("protoloop-kv", "redis-server", "protoloop-kv-epoll"), List.of(KV),
				this.samples, List.of(), Map.of()).render();
		assertThat(summary).contains("Target (issue 16), protoloop-kv req/s >= 0.80x redis-server on every kv figure:"
				+ " MET (worst 0.90x, kv 50 x -P 1)",
				"Target (issue 16), protoloop-kv-epoll req/s >= 0.80x redis-server on every kv figure: NOT MET"
						+ " (worst 0.70x, kv 50 x -P 1)");
	}

	/** Adds one quiet window of {@code server} in {@code scenario} at {@code cpuMicros} per request. */
	private void measure(Scenario scenario, String server, double cpuMicros, double p99Micros) {
		long work = 1_000_000;
		this.samples.add(new Sample(1, scenario, server, work, 5, cpuMicros * 1e-6 * work, 0, 4, 0, 0,
				p99Micros * 0.5e-6, p99Micros * 1e-6, p99Micros * 2e-6));
	}

}
