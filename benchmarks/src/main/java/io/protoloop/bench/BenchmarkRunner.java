package io.protoloop.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import io.protoloop.bench.Scenario.Family;
import io.protoloop.bench.Scenario.Mode;

/**
 * The benchmark's entry point, run pinned to the client CPU: starts the echo servers as JVMs pinned to the other
 * CPU, drives each with {@link LoadClient} in this JVM, and measures each server from outside over the measured
 * window (CPU time from {@code /proc/<pid>/stat}, loop-thread allocation from the server itself). The servers
 * run interleaved: every round starts them afresh and runs each scenario on each server in turn (the order
 * rotates from round to round), so drift in the machine hits all of them alike. A window opens only when the
 * two CPUs are free of other load (or after waiting long enough, on record), and is measured again if other
 * load came during it. Prints the summary and writes it with the raw samples and the server logs to a new
 * directory under the output directory.
 *
 * <p>Options: {@code --quick}, {@code --rounds=N}, {@code --warmup=SECONDS}, {@code --measure=SECONDS},
 * {@code --quiet-wait=SECONDS} (longest wait per scenario for a window free of other load),
 * {@code --servers=protoloop,protoloop-spring,netty-nio,netty-epoll,netty-io_uring} (default: those the scenarios
 * run on; {@code protoloop-spring} is the demo application's jar, {@link SpringDemo}, which runs every TCP scenario
 * but the idle connections; a peer the machine cannot run is reported as unavailable, with the reason),
 * {@code --scenarios=pp-1x64,...,stream-262144,idle} (a subset of the scenarios, by {@link Scenario#id()},
 * {@code idle} for the idle connections; the UDP scenarios {@code udp-1x64,udp-16x64,udp-1x1024,udp-16x1024}
 * run only when named, against {@code protoloop-udp,netty-nio-udp,netty-epoll-udp}; so do the TLS scenarios
 * {@code tls-pp-1x1024,tls-pp-100x1024,tls-stream-262144,tls-handshake-10}, against
 * {@code protoloop-tls,netty-nio-tls,netty-epoll-tls}; so do the kv scenarios {@code kv-P1,kv-P16}, against
 * {@code protoloop-kv,redis-server} under {@link RedisBenchmark}; {@code protoloop-kv} and {@code protoloop-kv-epoll}
 * also run {@code idle} when named in {@code --servers}), {@code --out=DIR},
 * {@code --server-jvm-option=OPTION} (repeatable: added to the servers' JVM options, for instance to record a
 * flight recording), {@code --native-jdk=PATH} (the JDK 22 or later of the native backend's servers
 * {@code protoloop-epoll}, {@code protoloop-udp-epoll} and {@code protoloop-kv-epoll}; default: the environment
 * variable {@value ServerJvm#ENVIRONMENT}; when one is named, they join their families' default servers).
 *
 * <p>Long because it is the run's one schedule (rounds, priming, each family's scenarios, idle memory) together with
 * the window checks every scenario shares; the servers, clients and report are classes of their own.
 */
public final class BenchmarkRunner {

	/** The CPU the servers are pinned to. */
	static final int SERVER_CPU = 0;

	/** The CPU run.sh pins this JVM, the client, to. */
	private static final int CLIENT_CPU = 1;

	/** Most load from anything else, on either CPU, under which a measured window opens. */
	static final double QUIET = 0.10;


	/** Every server JVM gets these: a fixed, pre-touched heap (so RSS growth is native memory) and Serial GC. */
	static final List<String> SERVER_JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
			"-XX:+UseSerialGC", "-Dio.netty.leakDetection.level=disabled");

	/** The TCP scenarios: the default. */
	private static final List<Scenario> SCENARIOS = List.of(Scenario.pingPong(1, 64), Scenario.pingPong(10, 64),
			Scenario.pingPong(100, 64), Scenario.pingPong(1, 1024), Scenario.pingPong(10, 1024),
			Scenario.pingPong(100, 1024), Scenario.streaming(256 * 1024));

	/** The UDP scenarios, run when {@code --scenarios} names them. */
	private static final List<Scenario> UDP_SCENARIOS = List.of(Scenario.udpPingPong(1, 64),
			Scenario.udpPingPong(16, 64), Scenario.udpPingPong(1, 1024), Scenario.udpPingPong(16, 1024));

	/** The TLS scenarios, run when {@code --scenarios} names them. */
	private static final List<Scenario> TLS_SCENARIOS = List.of(Scenario.tlsPingPong(1, 1024),
			Scenario.tlsPingPong(100, 1024), Scenario.tlsStreaming(256 * 1024), Scenario.tlsHandshakes(10));

	/** The kv scenarios, run when {@code --scenarios} names them: redis-benchmark with a pipeline of 1 and 16. */
	private static final List<Scenario> KV_SCENARIOS = List.of(Scenario.kv(1), Scenario.kv(16));

	/** Load that JIT-compiles each fresh TCP server's echo path before its first measured scenario. */
	static final Scenario PRIMING = Scenario.pingPong(10, 1024);

	/** The same for each fresh UDP server. */
	static final Scenario UDP_PRIMING = Scenario.udpPingPong(16, 1024);

	/** The same for each fresh TLS server, followed by handshakes for its handshake path. */
	private static final List<Scenario> TLS_PRIMING = List.of(Scenario.tlsPingPong(10, 1024),
			Scenario.tlsHandshakes(10));

	private static final int IDLE_CONNECTIONS = 10_000;

	/** Connections opened and reset before the idle baseline, so the accept path is warm and its tables grown. */
	private static final int IDLE_WARMUP_CONNECTIONS = 2_000;

	/**
	 * How many times a kv server's idle warm-up runs: kv servers are not primed (their scenarios warm up with
	 * redis-benchmark), so as many connections as measured accept and answer a PING first, and the JIT compiles
	 * that path before the baseline. Compiled during the measurement, its compiler's freed arenas (several MB the
	 * C library keeps) counted as native memory per connection: 700-1,700 B instead of about 150.
	 */
	private static final int KV_IDLE_WARMUP_ROUNDS = IDLE_CONNECTIONS / IDLE_WARMUP_CONNECTIONS;

	private final Settings settings;

	private final Path runDirectory;

	private final long clockTicksPerSecond;

	private final List<Sample> samples = new ArrayList<>();

	private final List<MemorySample> memory = new ArrayList<>();

	/** The key store of the TLS servers, made for this run, or {@code null} when no TLS server runs. */
	private final Path tlsKeyStore;

	/** The context the client's TLS connections use, trusting {@link #tlsKeyStore}, or {@code null}. */
	private final SSLContext tlsClient;

	/** The servers this machine cannot run (a native transport the kernel refuses), with the reason. */
	private final Map<String, String> unavailable = new LinkedHashMap<>();

	/** What the client's TLS handshakes negotiated, for the summary, or {@code null}. */
	private String tlsSession;

	private BenchmarkRunner(Settings settings, Path runDirectory, long clockTicksPerSecond) throws Exception {
		this.settings = settings;
		this.runDirectory = runDirectory;
		this.clockTicksPerSecond = clockTicksPerSecond;
		boolean tls = settings.servers().stream().anyMatch((server) -> Family.of(server) == Family.TLS);
		this.tlsKeyStore = tls ? BenchTls.create(runDirectory) : null;
		this.tlsClient = tls ? BenchTls.clientContext(this.tlsKeyStore) : null;
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.parse(args, System.getenv());
		Path runDirectory = settings.out()
			.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		Files.createDirectories(runDirectory);
		long ticks = Long.parseLong(run("getconf", "CLK_TCK"));
		new BenchmarkRunner(settings, runDirectory, ticks).run(String.join(" ", args));
	}

	private void run(String arguments) throws Exception {
		for (int round = 1; round <= this.settings.rounds(); round++) {
			List<String> order = new ArrayList<>(this.settings.servers());
			Collections.rotate(order, -(round - 1));
			progress("round %d/%d, order %s", round, this.settings.rounds(), order);
			Map<String, ServerProcess> servers = new LinkedHashMap<>();
			try {
				List<String> jvmOptions = new ArrayList<>(this.settings.serverJvmOptions());
				if (this.tlsKeyStore != null) {
					jvmOptions.add("-D" + BenchTls.KEY_STORE + "=" + this.tlsKeyStore);
				}
				for (String name : order) {
					if (this.unavailable.containsKey(name)) {
						continue;
					}
					try {
						servers.put(name, ServerProcess.start(name, SERVER_CPU, this.settings.jvm(), jvmOptions,
								this.runDirectory.resolve(name + "-round" + round + ".log")));
					}
					catch (ServerProcess.Unavailable ex) {
						progress("  %s", ex.getMessage());
						this.unavailable.put(name, ex.getMessage());
					}
				}
				for (ServerProcess server : servers.values()) {
					switch (Family.of(server.name())) {
						case UDP -> udpClient(server).pingPong(UDP_PRIMING.connections(), UDP_PRIMING.size(),
								this.settings.prime(), Span.of(Duration.ZERO), LoadClient.Window.ANY);
						case TCP -> client(server).pingPong(PRIMING.connections(), PRIMING.size(),
								this.settings.prime(), Span.of(Duration.ZERO), LoadClient.Window.ANY);
						case TLS -> {
							for (Scenario priming : TLS_PRIMING) {
								drive(client(server), priming, this.settings.prime(), Span.of(Duration.ZERO), LoadClient.Window.ANY);
							}
						}
						case KV -> {
							// Each kv scenario warms its servers up with redis-benchmark itself.
						}
					}
				}
				for (Scenario scenario : this.settings.scenarios()) {
					for (ServerProcess server : servers.values()) {
						// Each scenario runs on the servers of its family: TCP, TLS, UDP or KV.
						if (scenario.family() == Family.of(server.name())) {
							measure(round, scenario, server);
						}
					}
				}
				if (this.settings.idle()) {
					for (ServerProcess server : servers.values()) {
						// The scenario waits on the server's count of open connections: the Spring application and
						// redis-server do not report one.
						boolean family = Family.of(server.name()) == Family.TCP
								|| Report.nioTwin(server.name()).equals(Report.PROTOLOOP_KV);
						if (family && server.measuresIdle()) {
							measureIdle(round, server);
						}
					}
				}
			}
			finally {
				for (ServerProcess server : servers.values()) {
					server.close();
				}
			}
		}
		String summary = header(arguments) + new Report(this.settings.servers(), this.settings.scenarios(),
				this.samples, this.memory, this.unavailable).render();
		Files.writeString(this.runDirectory.resolve("summary.txt"), summary);
		System.out.println(summary);
		System.out.println("Samples, summary and server logs: " + this.runDirectory);
	}

	private void measure(int round, Scenario scenario, ServerProcess server) throws IOException {
		Snapshot[] edges = { Snapshot.of(server), null };
		long giveUp = System.nanoTime() + this.settings.quietWait().toNanos();
		LoadClient.Window window = new LoadClient.Window() {

			@Override
			public boolean open() throws IOException {
				Snapshot now = Snapshot.of(server);
				boolean quiet = quiet(edges[0], now, "waiting for other load to settle")
						&& compiled(edges[0], now, "warming up longer, the server's JIT compiler is busy");
				edges[0] = now;
				return quiet;
			}

			@Override
			public boolean close() throws IOException {
				edges[1] = Snapshot.of(server);
				return quiet(edges[0], edges[1], "measuring again, other load during the window")
						&& compiled(edges[0], edges[1], "measuring again, the server's JIT compiler ran in the window");
			}

			/** The server is warm: its JIT compiler threads used at most {@link #QUIET} of a CPU. */
			private boolean compiled(Snapshot start, Snapshot end, String retrying) {
				double compiling = end.compilingSince(start, BenchmarkRunner.this.clockTicksPerSecond);
				if (compiling > QUIET && System.nanoTime() < giveUp) {
					progress("  (%s: %.0f%% of a CPU)", retrying, compiling * 100);
					return false;
				}
				return true;
			}

			private boolean quiet(Snapshot start, Snapshot end, String retrying) {
				double other = end.otherLoadSince(start, BenchmarkRunner.this.clockTicksPerSecond);
				if (other > QUIET && System.nanoTime() < giveUp) {
					progress("  (%s: %.0f%% of a CPU)", retrying, other * 100);
					return false;
				}
				return true;
			}

		};
		long work;
		long lost = 0;
		LatencyHistogram latency = null;
		if (scenario.family() == Family.KV) {
			work = new RedisBenchmark(server.port(), scenario.size(), CLIENT_CPU).run(this.settings.warmup(),
					this.settings.measure(), window);
		}
		else if (scenario.udp()) {
			UdpLoadClient.Result result = udpClient(server).pingPong(scenario.connections(), scenario.size(),
					this.settings.warmup(), Span.of(this.settings.measure()), window);
			work = result.echoed();
			lost = result.lost();
		}
		else {
			LoadClient client = client(server);
			work = drive(client, scenario, this.settings.warmup(), Span.of(this.settings.measure()), window);
			latency = (scenario.mode() == Mode.PING_PONG) ? client.latency() : null;
		}
		Snapshot start = edges[0];
		Snapshot end = edges[1];
		double tick = 1.0 / this.clockTicksPerSecond;
		Sample sample = new Sample(round, scenario, server.name(), work, (end.nanos - start.nanos) / 1e9,
				(end.serverTicks - start.serverTicks) * tick, end.loopAllocated - start.loopAllocated,
				(end.clientTicks - start.clientTicks) * tick, end.otherLoadSince(start, this.clockTicksPerSecond),
				lost, quantile(latency, 0.5), quantile(latency, 0.99), quantile(latency, 0.999));
		this.samples.add(sample);
		record("samples.csv", Sample.CSV_HEADER, sample.csv());
		boolean streaming = scenario.streaming();
		String unit = streaming ? "MB" : scenario.udp() ? "dgram" : (scenario.mode() == Mode.HANDSHAKES) ? "hs" : "req";
		String cpu = streaming ? String.format(Locale.ROOT, "%.2f s/GB", sample.cpuPerUnit() * 1e9)
				: String.format(Locale.ROOT, "%.2f us/%s", sample.cpuPerUnit() * 1e6, unit);
		progress("  %-16s %-19s %,10.0f %s/s  server CPU %s  loop alloc %.1f B/%s  busy: server %.0f%%, client %.0f%%,"
				+ " other %.0f%%%s", scenario.label(), server.name(), sample.rate() / (streaming ? 1e6 : 1), unit, cpu,
				sample.allocPerUnit() * (streaming ? 1e6 : 1), unit, sample.serverBusy() * 100,
				sample.clientBusy() * 100, sample.otherLoad() * 100, scenario.udp() ? ", lost " + lost
						: (latency != null) ? String.format(Locale.ROOT, ", p50/p99/p99.9 %.0f/%.0f/%.0f us",
								sample.p50() * 1e6, sample.p99() * 1e6, sample.p999() * 1e6) : "");
	}

	/** Returns the {@code quantile} of the round trips in seconds, or {@code NaN} when they were not measured. */
	private static double quantile(LatencyHistogram latency, double quantile) {
		return (latency != null) ? latency.quantileNanos(quantile) / 1e9 : Double.NaN;
	}

	private void measureIdle(int round, ServerProcess server) throws IOException, InterruptedException {
		LoadClient client = client(server);
		boolean kv = Report.nioTwin(server.name()).equals(Report.PROTOLOOP_KV);
		for (int warmups = kv ? KV_IDLE_WARMUP_ROUNDS : 1; warmups > 0; warmups--) {
			List<SocketChannel> warmup = client.openIdle(IDLE_WARMUP_CONNECTIONS);
			greet(server, warmup);
			LoadClient.closeAll(warmup);
			server.awaitConnections(0);
		}
		long heapBefore = server.liveHeapBytes();
		long residentBefore = server.residentBytes();
		List<SocketChannel> idle = client.openIdle(IDLE_CONNECTIONS);
		try {
			greet(server, idle);
			server.awaitConnections(IDLE_CONNECTIONS);
			Thread.sleep(1000);
			long heapAfter = server.liveHeapBytes();
			long residentAfter = server.residentBytes();
			MemorySample sample = new MemorySample(round, server.name(), IDLE_CONNECTIONS,
					residentAfter - residentBefore, heapAfter - heapBefore);
			this.memory.add(sample);
			record("memory.csv", MemorySample.CSV_HEADER, sample.csv());
			progress("  %-16s %-19s native %.0f B/conn, heap %.0f B/conn", IDLE_CONNECTIONS + " idle", server.name(),
					sample.residentPerConnection(), sample.heapPerConnection());
		}
		finally {
			LoadClient.closeAll(idle);
		}
		server.awaitConnections(0);
	}

	/** Has each connection to a kv server exchange a PING first, so its idle state is the one after a command. */
	private static void greet(ServerProcess server, List<SocketChannel> connections) throws IOException {
		if (Report.nioTwin(server.name()).equals(Report.PROTOLOOP_KV)) {
			LoadClient.exchange(connections, ProtoloopKvServer.PING, ProtoloopKvServer.PONG);
		}
	}

	/** Appends a line to a CSV file of the run directory as soon as it is measured, so a cut-short run keeps it. */
	private void record(String file, String header, String line) throws IOException {
		Path path = this.runDirectory.resolve(file);
		Files.writeString(path, (Files.exists(path) ? "" : header + "\n") + line + "\n", StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	/** Runs a TCP or TLS scenario with {@code client}; returns the work done in the measured window. */
	private long drive(LoadClient client, Scenario scenario, Duration warmup, Span measure,
			LoadClient.Window window)
			throws IOException {
		long work = switch (scenario.mode()) {
			case PING_PONG -> client.pingPong(scenario.connections(), scenario.size(), warmup, measure, window);
			case STREAMING -> client.stream(scenario.size(), warmup, measure, window);
			case HANDSHAKES -> client.handshakes(scenario.connections(), scenario.size(), warmup, measure, window);
			case REDIS_BENCHMARK -> throw new IllegalArgumentException("kv scenarios run under RedisBenchmark");
		};
		if (this.tlsSession == null) {
			this.tlsSession = client.tlsSession();
		}
		return work;
	}

	/** A client of {@code server}, over TLS for a TLS server. */
	private LoadClient client(ServerProcess server) {
		return new LoadClient(new InetSocketAddress("127.0.0.1", server.port()),
				(Family.of(server.name()) == Family.TLS) ? this.tlsClient : null);
	}

	private static UdpLoadClient udpClient(ServerProcess server) {
		return new UdpLoadClient(new InetSocketAddress("127.0.0.1", server.port()));
	}

	private String header(String arguments) throws IOException {
		List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
		long cpus = cpuinfo.stream().filter((line) -> line.startsWith("processor")).count();
		String model = cpuinfo.stream().filter((line) -> line.startsWith("model name")).findFirst()
			.map((line) -> line.substring(line.indexOf(':') + 2)).orElse("unknown CPU");
		return String.format(Locale.ROOT, "Protoloop echo benchmark, %s%n"
				+ "machine: %d CPUs (%s), Linux %s, %s %s; servers on CPU %d, client on CPU %d%n"
				+ "server JVM options: %s%n%s"
				+ "rounds %d, priming %ds, warm-up %ds, measured window %ds; arguments: %s%n%s%n",
				LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), cpus, model,
				Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), System.getProperty("java.vm.name"),
				System.getProperty("java.runtime.version"), SERVER_CPU, CLIENT_CPU,
				String.join(" ", this.settings.serverJvmOptions()),
				this.settings.jvm().header(this.settings.servers().stream()
					.filter((server) -> !this.unavailable.containsKey(server))
					.toList()),
				this.settings.rounds(),
				this.settings.prime().toSeconds(), this.settings.warmup().toSeconds(),
				this.settings.measure().toSeconds(), arguments.isEmpty() ? "(none)" : arguments,
				(this.tlsSession != null) ? "TLS: " + this.tlsSession
						+ ", EC P-256 certificate, JDK SSLEngine in every server and in the client\n" : "");
	}

	private static void progress(String format, Object... args) {
		System.err.println(String.format(Locale.ROOT, format, args));
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes()).trim();
		if (process.waitFor() != 0) {
			throw new IOException(String.join(" ", command) + " failed: " + output);
		}
		return output;
	}

	/** What is read at each edge of a measured window. */
	private record Snapshot(long nanos, long serverTicks, long compilerTicks, long loopAllocated, long clientTicks,
			long[] coreBusy) {

		static Snapshot of(ServerProcess server) throws IOException {
			long nanos = System.nanoTime();
			long serverTicks = server.cpuTicks();
			long compilerTicks = server.compilerTicks();
			// With the ended children: the redis-benchmark runs of the kv scenarios are the client there.
			long clientTicks = ProcStat.processAndChildrenTicks(ProcessHandle.current().pid());
			long[] coreBusy = ProcStat.coreBusyTicks();
			return new Snapshot(nanos, serverTicks, compilerTicks, server.loopAllocatedBytes(), clientTicks,
					coreBusy);
		}

		/** Returns the share of a CPU the server's JIT compiler threads used since {@code start}. */
		double compilingSince(Snapshot start, long ticksPerSecond) {
			return (this.compilerTicks - start.compilerTicks) / ((this.nanos - start.nanos) / 1e9 * ticksPerSecond);
		}

		/**
		 * Returns the busier CPU's share of time since {@code start} spent on neither the server (on the server's
		 * CPU) nor the client (on the client's).
		 */
		double otherLoadSince(Snapshot start, long ticksPerSecond) {
			double elapsedTicks = (this.nanos - start.nanos) / 1e9 * ticksPerSecond;
			long onServerCpu = this.coreBusy[SERVER_CPU] - start.coreBusy[SERVER_CPU]
					- (this.serverTicks - start.serverTicks);
			long onClientCpu = this.coreBusy[CLIENT_CPU] - start.coreBusy[CLIENT_CPU]
					- (this.clientTicks - start.clientTicks);
			return Math.max(0, Math.max(onServerCpu, onClientCpu) / elapsedTicks);
		}

	}

	/**
	 * The run's settings. {@code quietWait} is the longest a scenario waits for a window without other load;
	 * then the next window counts anyway, its other load on record. {@code jvm} says which JDK runs each server.
	 */
	record Settings(int rounds, Duration prime, Duration warmup, Duration measure, Duration quietWait,
			List<String> servers, List<Scenario> scenarios, boolean idle, List<String> serverJvmOptions, Path out,
			ServerJvm jvm) {

		/**
		 * Parses the runner's arguments (see the class javadoc); {@code environment} may name the native backend's
		 * JDK ({@value ServerJvm#ENVIRONMENT}).
		 * @throws IllegalArgumentException for an argument it does not know
		 */
		static Settings parse(String[] args, Map<String, String> environment) {
			boolean quick = Arrays.asList(args).contains("--quick");
			int rounds = quick ? 2 : 5;
			Duration prime = Duration.ofSeconds(quick ? 2 : 3);
			Duration warmup = Duration.ofSeconds(quick ? 1 : 2);
			Duration measure = Duration.ofSeconds(quick ? 2 : 5);
			Duration quietWait = Duration.ofSeconds(quick ? 10 : 30);
			List<String> servers = null;
			List<Scenario> scenarios = SCENARIOS;
			boolean idle = true;
			List<String> serverJvmOptions = new ArrayList<>(SERVER_JVM_OPTIONS);
			Path out = Path.of("benchmarks", "results");
			String nativeJdk = null;
			for (String arg : args) {
				String value = arg.substring(arg.indexOf('=') + 1);
				if (arg.startsWith("--rounds=")) {
					rounds = Integer.parseInt(value);
				}
				else if (arg.startsWith("--warmup=")) {
					warmup = Duration.ofSeconds(Long.parseLong(value));
				}
				else if (arg.startsWith("--measure=")) {
					measure = Duration.ofSeconds(Long.parseLong(value));
				}
				else if (arg.startsWith("--quiet-wait=")) {
					quietWait = Duration.ofSeconds(Long.parseLong(value));
				}
				else if (arg.startsWith("--servers=")) {
					servers = List.of(value.split(","));
				}
				else if (arg.startsWith("--scenarios=")) {
					List<String> ids = List.of(value.split(","));
					scenarios = Stream.of(SCENARIOS, UDP_SCENARIOS, TLS_SCENARIOS, KV_SCENARIOS)
						.flatMap(List::stream)
						.filter((scenario) -> ids.contains(scenario.id()))
						.toList();
					idle = ids.contains("idle");
				}
				else if (arg.startsWith("--server-jvm-option=")) {
					serverJvmOptions.add(value);
				}
				else if (arg.startsWith("--out=")) {
					out = Path.of(value);
				}
				else if (arg.startsWith("--native-jdk=")) {
					nativeJdk = value;
				}
				else if (!arg.equals("--quick")) {
					throw new IllegalArgumentException("unknown argument: " + arg + " (see BenchmarkRunner's javadoc)");
				}
			}
			ServerJvm jvm = ServerJvm.of(nativeJdk, environment);
			if (servers == null) {
				servers = defaultServers(scenarios, idle, jvm.hasNativeJdk());
			}
			return new Settings(rounds, prime, warmup, measure, quietWait, servers, scenarios, idle,
					List.copyOf(serverJvmOptions), out, jvm);
		}

		/**
		 * Returns the servers the chosen scenarios run on, with the native backend's of each family when
		 * {@code nativeJdk} (a JDK for them is named).
		 */
		static List<String> defaultServers(List<Scenario> scenarios, boolean idle, boolean nativeJdk) {
			List<String> chosen = new ArrayList<>();
			if (idle || scenarios.stream().anyMatch((scenario) -> scenario.family() == Family.TCP)) {
				chosen.addAll(List.of(Report.PROTOLOOP, Report.PROTOLOOP_SPRING, Report.NETTY_NIO, Report.NETTY_EPOLL,
						Report.NETTY_IO_URING));
				if (nativeJdk) {
					chosen.addAll(List.of(Report.PROTOLOOP_EPOLL, Report.PROTOLOOP_SPRING_EPOLL));
				}
			}
			if (scenarios.stream().anyMatch(Scenario::udp)) {
				chosen.addAll(List.of(Report.PROTOLOOP_UDP, Report.NETTY_NIO_UDP, Report.NETTY_EPOLL_UDP));
				if (nativeJdk) {
					chosen.add(Report.PROTOLOOP_UDP_EPOLL);
				}
			}
			if (scenarios.stream().anyMatch(Scenario::tls)) {
				chosen.addAll(List.of(Report.PROTOLOOP_TLS, Report.NETTY_NIO_TLS, Report.NETTY_EPOLL_TLS));
			}
			if (scenarios.stream().anyMatch((scenario) -> scenario.family() == Family.KV)) {
				chosen.addAll(List.of(Report.PROTOLOOP_KV, Report.REDIS_SERVER));
				if (nativeJdk) {
					chosen.add(Report.PROTOLOOP_KV_EPOLL);
				}
			}
			return List.copyOf(chosen);
		}

	}

}
