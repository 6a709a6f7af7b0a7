package io.protoloop.bench;

import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import io.protoloop.bench.Scenario.Family;
import io.protoloop.bench.Scenario.Mode;

/**
 * Turns the samples of a run into the summary table: medians over the rounds for each scenario and server, and
 * the ratio of each server's median CPU cost to Netty epoll's and Netty NIO's measured in the same run, then
 * checks the targets (Protoloop at most 1.25x Netty epoll's CPU per request, no loop allocation per request).
 * UDP ping-pong gets a table of its own, against the Netty UDP servers; so does TLS, against Netty's
 * {@code SslHandler} (target: at most 1.1x Netty's CPU per unit on each figure); and the Protoloop server with the
 * starter's statistics or the actuator's metrics is compared with the bare one. When at least half the windows of
 * a scenario and server were free of other load, the medians use only those. The kv endpoint is compared with
 * redis-server, and issue 16's targets are checked for the bare loop and the Spring application, and in a block of
 * their own for the native backend (protoloop-epoll, protoloop-udp-epoll; protoloop-kv-epoll is a kv row).
 *
 * <p>Long because every table and target reads the same samples through the same helpers (quiet windows, medians,
 * ratios of medians, paired ratios); split by table, each part would carry a copy of them.
 */
final class Report {

	static final String PROTOLOOP = "protoloop";

	/** The Protoloop server with the actuator module's metrics installed. */
	static final String PROTOLOOP_METRICS = "protoloop-metrics";

	/** The Protoloop server as the starter runs it without the actuator module. */
	static final String PROTOLOOP_STARTER = "protoloop-starter";

	static final String PROTOLOOP_UDP = "protoloop-udp";

	static final String NETTY_NIO_UDP = "netty-nio-udp";

	static final String NETTY_EPOLL_UDP = "netty-epoll-udp";

	static final String NETTY_NIO = "netty-nio";

	static final String NETTY_EPOLL = "netty-epoll";

	/** Netty's native io_uring transport, the same echo handler as the other Netty peers. */
	static final String NETTY_IO_URING = "netty-io_uring";

	/** The Spring Boot demo application itself ({@code java -jar}), its echo endpoint on one loop, metrics on. */
	static final String PROTOLOOP_SPRING = "protoloop-spring";

	/** The demo's Redis-protocol server: the kv scenarios and idle connections. */
	static final String PROTOLOOP_KV = "protoloop-kv";

	/** Redis itself, the kv endpoint's peer under {@code redis-benchmark}. */
	static final String REDIS_SERVER = "redis-server";

	/** The native backend's servers: Protoloop's own, run with {@code -Dbench.loop.transport=epoll}. */
	static final String PROTOLOOP_EPOLL = "protoloop-epoll";

	static final String PROTOLOOP_UDP_EPOLL = "protoloop-udp-epoll";

	static final String PROTOLOOP_KV_EPOLL = "protoloop-kv-epoll";

	/** The demo application on the native JDK with {@code --protoloop.loop.transport=epoll}. */
	static final String PROTOLOOP_SPRING_EPOLL = "protoloop-spring-epoll";

	/** Each native backend server and its NIO twin, the same server on the JDK selector. */
	private static final Map<String, String> EPOLL_TWINS = Map.of(PROTOLOOP_EPOLL, PROTOLOOP, PROTOLOOP_UDP_EPOLL,
			PROTOLOOP_UDP, PROTOLOOP_KV_EPOLL, PROTOLOOP_KV, PROTOLOOP_SPRING_EPOLL, PROTOLOOP_SPRING);

	/** Fewest requests/s the kv endpoint may serve, as a multiple of redis-server's. */
	static final double KV_TARGET = 0.8;

	static final String PROTOLOOP_TLS = "protoloop-tls";

	static final String NETTY_NIO_TLS = "netty-nio-tls";

	static final String NETTY_EPOLL_TLS = "netty-epoll-tls";

	/** Most CPU per request Protoloop may use, as a multiple of Netty epoll's. */
	static final double CPU_TARGET = 1.25;

	/** Most CPU per unit Protoloop's TLS may use, as a multiple of Netty's with the same JDK engine. */
	static final double TLS_CPU_TARGET = 1.10;

	/** Returns whether {@code server} is one of the native backend's, which run on epoll on a JDK 22 or later. */
	static boolean nativeBackend(String server) {
		return EPOLL_TWINS.containsKey(server);
	}

	/** Returns the server {@code server} runs as on NIO: its twin for a native backend server, else itself. */
	static String nioTwin(String server) {
		return EPOLL_TWINS.getOrDefault(server, server);
	}

	/** Targets of the form "server's metric at most (at least) limit x baseline's on every figure it covers". */
	private record Target(String title, String metric, ToDoubleFunction<Sample> value, boolean higherIsBetter,
			double limit, String figures, Predicate<Scenario> covers) {
	}

	/** A target's worst ratio over its figures, and the scenario it came from. */
	private record Worst(double ratio, Scenario scenario) {
	}

	private static final Target PING_PONG_CPU = new Target("Target", "CPU/req", Sample::cpuPerUnit, false,
			CPU_TARGET, "ping-pong", Scenario::tcpPingPong);

	private static final Target NIO_CPU = new Target("Target (issue 16)", "CPU/unit", Sample::cpuPerUnit, false, 1.0,
			"TCP", (scenario) -> scenario.family() == Family.TCP);

	private static final Target PING_PONG_P99 = new Target("Target (issue 16)", "p99", Sample::p99, false, 1.0,
			"ping-pong", Scenario::tcpPingPong);

	private static final Target KV_RATE = new Target("Target (issue 16)", "req/s", Sample::rate, true, KV_TARGET,
			"kv", (scenario) -> scenario.family() == Family.KV);

	private static final Target TLS_CPU = new Target("Target", "CPU/unit", Sample::cpuPerUnit, false, TLS_CPU_TARGET,
			"TLS", Scenario::tls);

	/** Most CPU per request the native backend may use, as a multiple of Netty epoll's. */
	static final double NATIVE_CPU_TARGET = 0.90;

	private static final Target NATIVE_CPU_EPOLL = new Target("Target (issue 16)", "CPU/req", Sample::cpuPerUnit,
			false, NATIVE_CPU_TARGET, "ping-pong", Scenario::tcpPingPong);

	private static final Target NATIVE_CPU_IO_URING = new Target("Target (issue 16)", "CPU/req", Sample::cpuPerUnit,
			false, 1.0, "ping-pong", Scenario::tcpPingPong);

	private static final Target NATIVE_UDP_CPU = new Target("Target (issue 16)", "CPU/dgram", Sample::cpuPerUnit,
			false, NATIVE_CPU_TARGET, "UDP", Scenario::udp);

	private final List<String> servers;

	private final List<Scenario> scenarios;

	private final List<Sample> samples;

	private final List<MemorySample> memory;

	/** The servers the machine could not run, with the reason. */
	private final Map<String, String> unavailable;

	private final StringBuilder out = new StringBuilder();

	Report(List<String> servers, List<Scenario> scenarios, List<Sample> samples, List<MemorySample> memory,
			Map<String, String> unavailable) {
		this.unavailable = unavailable;
		this.servers = servers;
		this.scenarios = scenarios;
		this.samples = samples;
		this.memory = memory;
	}

	String render() {
		if (this.scenarios.stream().anyMatch(Scenario::tcpPingPong)) {
			pingPong();
		}
		if (this.scenarios.stream().anyMatch((scenario) -> scenario.streaming() && scenario.family() == Family.TCP)) {
			streaming();
		}
		if (this.scenarios.stream().anyMatch(Scenario::udp)) {
			udp();
		}
		if (this.scenarios.stream().anyMatch(Scenario::tls)) {
			tls();
		}
		if (this.scenarios.stream().anyMatch((scenario) -> scenario.family() == Family.KV)) {
			kv();
		}
		if (!this.memory.isEmpty()) {
			memory();
		}
		if (this.servers.contains(PROTOLOOP)
				&& (this.servers.contains(PROTOLOOP_METRICS) || this.servers.contains(PROTOLOOP_STARTER))) {
			metricsOverhead();
		}
		this.unavailable.values().forEach((reason) -> line("Not measured: %s", reason));
		noise();
		verdict();
		nioTargets();
		tlsVerdict();
		nativeTargets();
		return this.out.toString();
	}

	private void pingPong() {
		line("Ping-pong: medians over rounds; CPU = server process CPU time / requests; ratios compare median CPU/req;"
				+ " alloc = loop-thread bytes per request, median/max; p50/p99/p99.9 = round trip seen by the client,"
				+ " us, medians over rounds; p99 vs = ratio of the p99 medians");
		line("%-18s %-19s %10s %11s %7s %9s %9s %6s %5s %11s %7s %7s %7s %9s %8s %8s %9s %9s", "scenario", "server",
				"req/s", "CPU us/req", "spread", "srv busy", "cli busy", "other", "n", "alloc B/req", "p50", "p99",
				"p99.9", "vs epoll", "vs nio", "vs uring", "p99 epoll", "p99 uring");
		for (Scenario scenario : this.scenarios) {
			if (scenario.tcpPingPong()) {
				throughputRows(scenario, 1, 1e6, 1, List.of(NETTY_EPOLL, NETTY_NIO, NETTY_IO_URING));
			}
		}
	}

	private void udp() {
		line("");
		line("UDP ping-pong: medians over rounds; CPU = server process CPU time / datagram echoed; lost = datagrams"
				+ " without an echo within %d ms, summed over the windows used; alloc = loop-thread bytes per datagram,"
				+ " median/max", UdpLoadClient.TIMEOUT.toMillis());
		line("%-18s %-19s %10s %11s %7s %9s %9s %6s %5s %6s %11s %9s %8s", "scenario", "server", "dgrams/s",
				"CPU us/dg", "spread", "srv busy", "cli busy", "other", "n", "lost", "alloc B/dg", "vs epoll",
				"vs nio");
		for (Scenario scenario : this.scenarios) {
			if (!scenario.udp()) {
				continue;
			}
			for (String server : this.servers) {
				if (Family.of(server) != Family.UDP) {
					continue;
				}
				List<Sample> mine = samples(scenario, server);
				List<Sample> every = all(scenario, server);
				double cpu = median(mine, Sample::cpuPerUnit);
				double spread = (max(mine, Sample::cpuPerUnit) - min(mine, Sample::cpuPerUnit)) / cpu;
				line("%-18s %-19s %,10.0f %11.2f %6.1f%% %8.0f%% %8.0f%% %5.0f%% %5s %6d %11s %9s %8s",
						scenario.label(), server, median(mine, Sample::rate), cpu * 1e6, spread * 100,
						median(mine, Sample::serverBusy) * 100, median(mine, Sample::clientBusy) * 100,
						median(mine, Sample::otherLoad) * 100, mine.size() + "/" + every.size(),
						mine.stream().mapToLong(Sample::lost).sum(),
						String.format(Locale.ROOT, "%.0f/%.0f", median(every, Sample::allocPerUnit),
								max(every, Sample::allocPerUnit)),
						cpuRatio(scenario, server, NETTY_EPOLL_UDP), cpuRatio(scenario, server, NETTY_NIO_UDP));
			}
		}
	}

	private void streaming() {
		line("");
		line("Streaming: one connection; CPU = server CPU-seconds per GB echoed; alloc = loop-thread bytes per MB"
				+ " echoed, median/max");
		line("%-18s %-19s %10s %11s %7s %9s %9s %6s %5s %11s %9s %8s %8s", "scenario", "server", "MB/s", "CPU s/GB",
				"spread", "srv busy", "cli busy", "other", "n", "alloc B/MB", "vs epoll", "vs nio", "vs uring");
		for (Scenario scenario : this.scenarios) {
			if (scenario.streaming() && scenario.family() == Family.TCP) {
				throughputRows(scenario, 1e-6, 1e9, 1e6, List.of(NETTY_EPOLL, NETTY_NIO, NETTY_IO_URING));
			}
		}
	}

	/**
	 * TLS, against Netty's SslHandler with the same JDK engine: ping-pong (CPU per request), streaming (CPU per
	 * GB) and handshakes (CPU per handshake), each with its unit.
	 */
	private void tls() {
		line("");
		line("TLS: medians over rounds; CPU = server process CPU time per request (ping-pong), per GB echoed"
				+ " (streaming) or per handshake (connect, full handshake, one 64 B echo, reset); alloc = loop-thread"
				+ " bytes per request, per MB or per handshake, median/max");
		line("%-20s %-19s %10s %11s %7s %9s %9s %6s %5s %11s %7s %7s %7s %9s %8s", "scenario", "server", "rate",
				"CPU", "spread", "srv busy", "cli busy", "other", "n", "alloc", "p50", "p99", "p99.9", "vs epoll",
				"vs nio");
		for (Scenario scenario : this.scenarios) {
			if (!scenario.tls()) {
				continue;
			}
			switch (scenario.mode()) {
				case PING_PONG, HANDSHAKES -> throughputRows(scenario, 1, 1e6, 1,
						List.of(NETTY_EPOLL_TLS, NETTY_NIO_TLS));
				case STREAMING -> throughputRows(scenario, 1e-6, 1e9, 1e6, List.of(NETTY_EPOLL_TLS, NETTY_NIO_TLS));
			}
		}
		line("(rate in req/s, MB/s or handshakes/s; CPU in us/req, s/GB or us/handshake)");
	}

	/**
	 * The kv endpoint against redis-server under redis-benchmark: requests/s, server CPU per request, and the
	 * requests/s ratio to redis-server's, of the medians and paired within each round (the two ran one after the
	 * other); then the target (at least {@link #KV_TARGET} of redis-server's requests/s).
	 */
	private void kv() {
		line("");
		line("kv: redis-benchmark -c %d -r %d -t set,get, pinned to the client CPU; req/s = SET and GET requests /"
				+ " window, medians over rounds; CPU = server process CPU time / request; alloc = loop-thread bytes"
				+ " per request, median/max (protoloop-kv only); vs redis = req/s ratio of the medians, paired ="
				+ " median [min-max] of the ratios within each round", RedisBenchmark.CLIENTS, RedisBenchmark.KEYSPACE);
		line("%-18s %-19s %10s %11s %7s %9s %9s %6s %5s %11s %9s %17s", "scenario", "server", "req/s", "CPU us/req",
				"spread", "srv busy", "cli busy", "other", "n", "alloc B/req", "vs redis", "paired");
		for (Scenario scenario : this.scenarios) {
			if (scenario.family() != Family.KV) {
				continue;
			}
			for (String server : List.of(PROTOLOOP_KV, PROTOLOOP_KV_EPOLL, REDIS_SERVER)) {
				if (!ran(scenario, server)) {
					continue;
				}
				List<Sample> mine = samples(scenario, server);
				List<Sample> every = all(scenario, server);
				double cpu = median(mine, Sample::cpuPerUnit);
				List<Double> paired = pairedRatios(scenario, server, REDIS_SERVER, Sample::rate);
				line("%-18s %-19s %,10.0f %11.2f %6.1f%% %8.0f%% %8.0f%% %5.0f%% %5s %11s %9s %17s", scenario.label(),
						server, median(mine, Sample::rate), cpu * 1e6,
						(max(mine, Sample::cpuPerUnit) - min(mine, Sample::cpuPerUnit)) / cpu * 100,
						median(mine, Sample::serverBusy) * 100, median(mine, Sample::clientBusy) * 100,
						median(mine, Sample::otherLoad) * 100, mine.size() + "/" + every.size(),
						server.equals(REDIS_SERVER) ? "-" : String.format(Locale.ROOT, "%.0f/%.0f",
								median(every, Sample::allocPerUnit), max(every, Sample::allocPerUnit)),
						ratio(scenario, server, REDIS_SERVER, Sample::rate),
						paired.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2fx [%.2f-%.2f]",
								median(paired, (d) -> d), min(paired, (d) -> d), max(paired, (d) -> d)));
			}
		}
		target(KV_RATE, PROTOLOOP_KV, REDIS_SERVER);
		target(KV_RATE, PROTOLOOP_KV_EPOLL, REDIS_SERVER);
	}

	/** Returns {@code metric} of {@code server} over {@code baseline}'s, for each round both have a window in. */
	private List<Double> pairedRatios(Scenario scenario, String server, String baseline,
			ToDoubleFunction<Sample> metric) {
		List<Sample> base = samples(scenario, baseline);
		return samples(scenario, server).stream()
			.flatMap((s) -> base.stream()
				.filter((b) -> b.round() == s.round())
				.map((b) -> metric.applyAsDouble(s) / metric.applyAsDouble(b)))
			.toList();
	}

	private void memory() {
		line("");
		line("Idle connections: bytes per connection, medians; native = VmRSS growth (the heap is pre-touched), heap ="
				+ " live-heap growth after a full GC, total = their per-round sum");
		line("%-18s %-19s %10s %11s %11s %9s %8s", "connections", "server", "native", "heap", "total", "vs epoll",
				"vs nio");
		for (String server : this.servers) {
			List<MemorySample> mine = memory(server);
			if (mine.isEmpty()) {
				continue;
			}
			line("%-18s %-19s %10.0f %11.0f %11.0f %9s %8s",
					String.format(Locale.ROOT, "%,d idle", mine.get(0).connections()), server,
					median(mine, MemorySample::residentPerConnection), median(mine, MemorySample::heapPerConnection),
					median(mine, MemorySample::totalPerConnection), memoryRatio(server, NETTY_EPOLL),
					memoryRatio(server, NETTY_NIO));
		}
	}

	/**
	 * Compares protoloop-starter and protoloop-metrics with protoloop: the ratio of the medians, and the median
	 * (min-max) of the ratios of the two servers' CPU per unit measured in the same round, which leaves out drift
	 * from round to round.
	 */
	private void metricsOverhead() {
		line("");
		line("Metrics overhead against %s: CPU/unit ratio of the medians, and median [min-max] of the ratios within"
				+ " each round (paired); alloc = loop-thread bytes per request (per MB streaming), median/max",
				PROTOLOOP);
		line("%-18s %-19s %11s %11s %13s %13s %10s %12s", "scenario", "server", "CPU", "protoloop", "ratio medians",
				"paired ratio", "range", "alloc");
		for (Scenario scenario : this.scenarios) {
			if (scenario.family() != Family.TCP) {
				continue;
			}
			List<Sample> plain = samples(scenario, PROTOLOOP);
			double cpuScale = scenario.streaming() ? 1e9 : 1e6;
			double allocScale = scenario.streaming() ? 1e6 : 1;
			for (String server : List.of(PROTOLOOP_STARTER, PROTOLOOP_METRICS)) {
				if (!this.servers.contains(server)) {
					continue;
				}
				List<Sample> metered = samples(scenario, server);
				List<Double> paired = metered.stream()
					.flatMap((m) -> plain.stream()
						.filter((p) -> p.round() == m.round())
						.map((p) -> m.cpuPerUnit() / p.cpuPerUnit()))
					.toList();
				line("%-18s %-19s %11.2f %11.2f %12.3fx %12s %10s %12s", scenario.label(), server,
						median(metered, Sample::cpuPerUnit) * cpuScale, median(plain, Sample::cpuPerUnit) * cpuScale,
						median(metered, Sample::cpuPerUnit) / median(plain, Sample::cpuPerUnit),
						paired.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3fx", median(paired, (d) -> d)),
						paired.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f-%.2f", min(paired, (d) -> d),
								max(paired, (d) -> d)),
						alloc(all(scenario, server), allocScale));
			}
		}
		line("(CPU in us/req for ping-pong, s/GB for streaming)");
	}

	private static String alloc(List<Sample> samples, double scale) {
		return String.format(Locale.ROOT, "%.1f/%.1f", median(samples, Sample::allocPerUnit) * scale,
				max(samples, Sample::allocPerUnit) * scale);
	}

	/**
	 * One row per server of the scenario's family: rate, CPU per unit and its spread, busy shares, other load,
	 * allocation, the round-trip quantiles (ping-pong), the CPU ratio to each of {@code baselines}, and for TCP
	 * ping-pong the p99 ratio to Netty epoll's and io_uring's.
	 */
	private void throughputRows(Scenario scenario, double rateScale, double cpuScale, double allocScale,
			List<String> baselines) {
		boolean latency = scenario.mode() == Mode.PING_PONG;
		for (String server : this.servers) {
			if (Family.of(server) != scenario.family() || !ran(scenario, server)) {
				continue;
			}
			List<Sample> mine = samples(scenario, server);
			// Allocation does not depend on other load: every window counts.
			List<Sample> every = all(scenario, server);
			double cpu = median(mine, Sample::cpuPerUnit);
			double spread = (max(mine, Sample::cpuPerUnit) - min(mine, Sample::cpuPerUnit)) / cpu;
			StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-"
					+ ((scenario.family() == Family.TLS) ? 20 : 18)
					+ "s %-19s %,10.0f %11.2f %6.1f%% %8.0f%% %8.0f%% %5.0f%% %5s %11s", scenario.label(),
					server, median(mine, Sample::rate) * rateScale, cpu * cpuScale, spread * 100,
					median(mine, Sample::serverBusy) * 100, median(mine, Sample::clientBusy) * 100,
					median(mine, Sample::otherLoad) * 100, mine.size() + "/" + every.size(),
					String.format(Locale.ROOT, "%.0f/%.0f", median(every, Sample::allocPerUnit) * allocScale,
							max(every, Sample::allocPerUnit) * allocScale)));
			if (latency) {
				row.append(String.format(Locale.ROOT, " %7.0f %7.0f %7.0f", median(mine, Sample::p50) * 1e6,
						median(mine, Sample::p99) * 1e6, median(mine, Sample::p999) * 1e6));
			}
			for (String baseline : baselines) {
				row.append(String.format(Locale.ROOT, " %8s", ratio(scenario, server, baseline, Sample::cpuPerUnit)));
			}
			if (scenario.tcpPingPong()) {
				for (String baseline : List.of(NETTY_EPOLL, NETTY_IO_URING)) {
					row.append(String.format(Locale.ROOT, " %9s", ratio(scenario, server, baseline, Sample::p99)));
				}
			}
			line("%s", row);
		}
	}

	private void noise() {
		long noisy = this.samples.stream().filter((s) -> s.otherLoad() > BenchmarkRunner.QUIET).count();
		if (noisy > 0) {
			line("");
			line("Warning: %d of %d windows ran with other load over %.0f%% of a CPU: the machine was not quiet. Column"
					+ " 'n' gives the windows the medians use (the quiet ones when at least half were quiet), 'other'"
					+ " their median other load.", noisy, this.samples.size(), BenchmarkRunner.QUIET * 100);
		}
	}

	private void verdict() {
		if (!this.scenarios.stream().anyMatch((scenario) -> scenario.tcpPingPong() && ran(scenario, PROTOLOOP)
				&& ran(scenario, NETTY_EPOLL))) {
			return;
		}
		line("");
		target(PING_PONG_CPU, PROTOLOOP, NETTY_EPOLL);
		double mostAllocated = mostAllocated(PROTOLOOP);
		line("Target, no loop-thread allocation per request: %s (protoloop allocates at most %.1f B/req in any window)",
				(mostAllocated < 1) ? "MET" : "NOT MET", mostAllocated);
	}

	/** Returns the most loop-thread bytes per request {@code server} allocated in any TCP ping-pong window. */
	private double mostAllocated(String server) {
		return this.scenarios.stream()
			.filter((scenario) -> scenario.tcpPingPong() && ran(scenario, server))
			.mapToDouble((scenario) -> max(all(scenario, server), Sample::allocPerUnit))
			.max()
			.orElse(0);
	}

	/**
	 * Issue 16's targets for the NIO backend: the bare loop and the Spring application at most Netty epoll's CPU per
	 * unit on every TCP figure (ping-pong and streaming), and no loop-thread allocation per request; with each p99
	 * against Netty io_uring's, which the native backend is to match.
	 */
	private void nioTargets() {
		for (String server : List.of(PROTOLOOP, PROTOLOOP_SPRING)) {
			if (!target(NIO_CPU, server, NETTY_EPOLL)) {
				continue;
			}
			double mostAllocated = mostAllocated(server);
			line("Target (issue 16), %s no loop-thread allocation per request: %s (at most %.1f B/req in any window)",
					server, (mostAllocated < 1) ? "MET" : "NOT MET", mostAllocated);
			Worst p99 = worst(PING_PONG_P99, server, NETTY_IO_URING);
			if (p99 != null) {
				line("For the native backend's target, %s p99 / netty-io_uring p99: worst %.2fx", server, p99.ratio());
			}
		}
	}

	/**
	 * Issue 16's targets for the native backend, in a block of their own: the CPU per request of protoloop-epoll and
	 * of the Spring application on epoll against Netty's native transports and their p99 against io_uring's on
	 * every TCP ping-pong figure, and
	 * protoloop-udp-epoll's CPU per datagram against Netty epoll's on every UDP figure.
	 */
	private void nativeTargets() {
		List<String> nativeServers = List.of(PROTOLOOP_EPOLL, PROTOLOOP_SPRING_EPOLL, PROTOLOOP_UDP_EPOLL);
		if (nativeServers.stream().noneMatch(this.servers::contains)) {
			return;
		}
		line("");
		line("Native backend (issue 16), epoll through FFM:");
		for (String server : nativeServers) {
			if (this.unavailable.containsKey(server)) {
				line("Not checked: %s did not run (see 'Not measured' above)", server);
			}
		}
		for (String server : List.of(PROTOLOOP_EPOLL, PROTOLOOP_SPRING_EPOLL)) {
			target(NATIVE_CPU_EPOLL, server, NETTY_EPOLL);
			target(NATIVE_CPU_IO_URING, server, NETTY_IO_URING);
			target(PING_PONG_P99, server, NETTY_IO_URING);
		}
		target(NATIVE_UDP_CPU, PROTOLOOP_UDP_EPOLL, NETTY_EPOLL_UDP);
	}

	/** Checks Protoloop's TLS against each Netty TLS server that ran, on every TLS figure. */
	private void tlsVerdict() {
		if (!this.servers.contains(PROTOLOOP_TLS)) {
			return;
		}
		line("");
		for (String netty : List.of(NETTY_EPOLL_TLS, NETTY_NIO_TLS)) {
			target(TLS_CPU, PROTOLOOP_TLS, netty);
		}
	}

	/**
	 * Checks {@code target} for {@code server} against {@code baseline} and prints one line: "MET" or "NOT MET" with
	 * the worst ratio and its scenario. Prints nothing when the server has no figures the target covers, and says
	 * so when only the baseline has none.
	 * @return whether the line was printed with a verdict
	 */
	private boolean target(Target target, String server, String baseline) {
		String claim = String.format(Locale.ROOT, "%s, %s %s %s %.2fx %s on every %s figure", target.title(), server,
				target.metric(), target.higherIsBetter() ? ">=" : "<=", target.limit(), baseline, target.figures());
		Worst worst = worst(target, server, baseline);
		if (worst == null) {
			if (this.scenarios.stream().anyMatch((scenario) -> target.covers().test(scenario) && ran(scenario, server))) {
				line("%s: not checked (%s has no figures)", claim, baseline);
			}
			return false;
		}
		boolean met = target.higherIsBetter() ? worst.ratio() >= target.limit() : worst.ratio() <= target.limit();
		line("%s: %s (worst %.2fx, %s)", claim, met ? "MET" : "NOT MET", worst.ratio(), worst.scenario().label());
		return true;
	}

	/**
	 * Returns the worst ratio of the medians of {@code target}'s metric, server over baseline, over the scenarios it
	 * covers that both ran, or {@code null} when there is none.
	 */
	private Worst worst(Target target, String server, String baseline) {
		Worst worst = null;
		for (Scenario scenario : this.scenarios) {
			if (!target.covers().test(scenario) || !ran(scenario, server) || !ran(scenario, baseline)) {
				continue;
			}
			double ratio = median(samples(scenario, server), target.value())
					/ median(samples(scenario, baseline), target.value());
			if (worst == null || (target.higherIsBetter() ? ratio < worst.ratio() : ratio > worst.ratio())) {
				worst = new Worst(ratio, scenario);
			}
		}
		return worst;
	}

	private String cpuRatio(Scenario scenario, String server, String baseline) {
		return ratio(scenario, server, baseline, Sample::cpuPerUnit);
	}

	/** Returns the ratio of the medians of {@code metric}, server over baseline, or "-" if the baseline did not run. */
	private String ratio(Scenario scenario, String server, String baseline, ToDoubleFunction<Sample> metric) {
		if (!ran(scenario, baseline)) {
			return "-";
		}
		double ratio = median(samples(scenario, server), metric) / median(samples(scenario, baseline), metric);
		return String.format(Locale.ROOT, "%.2fx", ratio);
	}

	/** Returns whether {@code server} has windows in {@code scenario} (an unavailable peer has none). */
	private boolean ran(Scenario scenario, String server) {
		return !all(scenario, server).isEmpty();
	}

	private String memoryRatio(String server, String baseline) {
		if (!this.servers.contains(baseline)) {
			return "-";
		}
		double ratio = median(memory(server), MemorySample::totalPerConnection)
				/ median(memory(baseline), MemorySample::totalPerConnection);
		return String.format(Locale.ROOT, "%.2fx", ratio);
	}

	/** Returns the windows the medians use: the quiet ones when they are at least half, else all of them. */
	private List<Sample> samples(Scenario scenario, String server) {
		List<Sample> all = all(scenario, server);
		List<Sample> quiet = all.stream().filter((s) -> s.otherLoad() <= BenchmarkRunner.QUIET).toList();
		return (!quiet.isEmpty() && quiet.size() * 2 >= all.size()) ? quiet : all;
	}

	private List<Sample> all(Scenario scenario, String server) {
		return this.samples.stream().filter((s) -> s.scenario().equals(scenario) && s.server().equals(server)).toList();
	}

	private List<MemorySample> memory(String server) {
		return this.memory.stream().filter((m) -> m.server().equals(server)).toList();
	}

	private void line(String format, Object... args) {
		this.out.append(String.format(Locale.ROOT, format, args)).append('\n');
	}

	/** Returns the median of {@code metric} over {@code items} (the mean of the middle two for an even count). */
	static <T> double median(List<T> items, ToDoubleFunction<T> metric) {
		double[] values = items.stream().mapToDouble(metric).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private static <T> double min(List<T> items, ToDoubleFunction<T> metric) {
		return items.stream().mapToDouble(metric).min().orElseThrow();
	}

	private static <T> double max(List<T> items, ToDoubleFunction<T> metric) {
		return items.stream().mapToDouble(metric).max().orElseThrow();
	}

}
