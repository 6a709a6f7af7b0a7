package io.protoloop.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.protoloop.bench.Scenario.Family;

/**
 * System calls per request of each backend ({@code benchmarks/run.sh syscalls}): starts each server pinned to the
 * server CPU as the benchmark does ({@link ServerProcess}, on the JDK {@link ServerJvm} gives it), primes it as the
 * benchmark does, then, for ping-pong of 64 B messages over 1 and 100 connections (UDP: 1 and 16 flows, the UDP
 * benchmark's), counts the system calls of the whole server process (every thread) over a fixed number of requests
 * of {@link LoadClient} or {@link UdpLoadClient}, with a {@link SyscallTracer}. Prints, per server and figure, the
 * calls per request and the calls that make most of them, and writes that with the counts of every call to a new
 * directory under the output directory.
 *
 * <p>Options: {@code --requests=N} (per figure, default 100,000), {@code --servers=a,b} (TCP and UDP echo servers;
 * default {@code protoloop,netty-epoll,netty-io_uring,protoloop-udp,netty-epoll-udp}, with {@code protoloop-epoll}
 * and {@code protoloop-udp-epoll} when a native JDK is named), {@code --tracer=perf|strace} (default: perf where
 * it can count here), {@code --native-jdk=PATH} (default {@value ServerJvm#ENVIRONMENT}),
 * {@code --server-jvm-option=OPTION} (repeatable), {@code --out=DIR}.
 */
public final class SyscallCount {

	/** The TCP figures: ping-pong over 1 and 100 connections, 64 B. */
	static final List<Scenario> TCP_SCENARIOS = List.of(Scenario.pingPong(1, 64), Scenario.pingPong(100, 64));

	/** The UDP figures: ping-pong over 1 and 16 flows, 64 B, as in the UDP benchmark. */
	static final List<Scenario> UDP_SCENARIOS = List.of(Scenario.udpPingPong(1, 64), Scenario.udpPingPong(16, 64));

	/** How long each fresh server is primed, as the benchmark's default. */
	private static final Duration PRIME = Duration.ofSeconds(3);

	/** Load before each counted window, so the figure's connections are in their steady state. */
	private static final Duration WARMUP = Duration.ofSeconds(1);

	/** The longest a counted window may take, slowed down as it is under strace. */
	private static final Duration LIMIT = Duration.ofMinutes(5);

	/** Calls named in the summary for each figure. */
	private static final int TOP = 6;

	private final Settings settings;

	private final Path runDirectory;

	private final List<Count> counts = new ArrayList<>();

	private final Map<String, String> unavailable = new LinkedHashMap<>();

	private SyscallCount(Settings settings, Path runDirectory) {
		this.settings = settings;
		this.runDirectory = runDirectory;
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.parse(args, System.getenv());
		Path runDirectory = settings.out().resolve(
				LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-syscalls");
		Files.createDirectories(runDirectory);
		new SyscallCount(settings, runDirectory).run(String.join(" ", args));
	}

	private void run(String arguments) throws IOException {
		List<String> jvmOptions = new ArrayList<>(BenchmarkRunner.SERVER_JVM_OPTIONS);
		jvmOptions.addAll(this.settings.serverJvmOptions());
		for (String name : this.settings.servers()) {
			ServerProcess server;
			try {
				server = ServerProcess.start(name, BenchmarkRunner.SERVER_CPU, this.settings.jvm(), jvmOptions,
						this.runDirectory.resolve(name + ".log"));
			}
			catch (ServerProcess.Unavailable ex) {
				progress("%s", ex.getMessage());
				this.unavailable.put(name, ex.getMessage());
				continue;
			}
			try (server) {
				InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
				boolean udp = Family.of(name) == Family.UDP;
				if (udp) {
					new UdpLoadClient(address).pingPong(BenchmarkRunner.UDP_PRIMING.connections(),
							BenchmarkRunner.UDP_PRIMING.size(), PRIME, Span.of(Duration.ZERO), LoadClient.Window.ANY);
				}
				else {
					new LoadClient(address, null).pingPong(BenchmarkRunner.PRIMING.connections(),
							BenchmarkRunner.PRIMING.size(), PRIME, Span.of(Duration.ZERO), LoadClient.Window.ANY);
				}
				for (Scenario scenario : udp ? UDP_SCENARIOS : TCP_SCENARIOS) {
					Count count = count(server, address, scenario);
					this.counts.add(count);
					progress("%-16s %-19s %,9d requests %8.2f calls/req  %s", scenario.label(), name, count.requests(),
							count.perRequest(), count.top(TOP));
				}
			}
		}
		String summary = summary(arguments);
		Files.writeString(this.runDirectory.resolve("summary.txt"), summary);
		Files.writeString(this.runDirectory.resolve("syscalls.csv"), csv());
		System.out.println(summary);
		System.out.println("Summary, counts of every call and server logs: " + this.runDirectory);
	}

	/** Drives {@code scenario} for the set number of requests with the tracer attached to the server over them. */
	private Count count(ServerProcess server, InetSocketAddress address, Scenario scenario) throws IOException {
		Path directory = Files.createDirectories(this.runDirectory.resolve(server.name() + "-" + scenario.id()));
		SyscallTracer.Attachment[] attachment = { null };
		Map<String, Long> calls = new LinkedHashMap<>();
		LoadClient.Window window = new LoadClient.Window() {

			@Override
			public boolean open() throws IOException {
				attachment[0] = SyscallCount.this.settings.tracer().attach(server.pid(), directory);
				return true;
			}

			@Override
			public boolean close() throws IOException {
				SyscallTracer.Attachment attached = attachment[0];
				attachment[0] = null;
				calls.putAll(attached.stop());
				return true;
			}

		};
		Span requests = Span.work(this.settings.requests(), LIMIT);
		try {
			long done = scenario.udp()
					? new UdpLoadClient(address).pingPong(scenario.connections(), scenario.size(), WARMUP, requests,
							window).echoed()
					: new LoadClient(address, null).pingPong(scenario.connections(), scenario.size(), WARMUP,
							requests, window);
			return new Count(scenario, server.name(), done, calls);
		}
		finally {
			if (attachment[0] != null) {
				// The run failed inside the window: detach before the server goes.
				attachment[0].stop();
			}
		}
	}

	private String summary(String arguments) throws IOException {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "Protoloop system calls per request, %s%n"
				+ "machine: Linux %s; servers on CPU %d; counted by %s in the whole server process (every thread) over"
				+ " %,d requests per figure, after %d s of priming and %d s of warm-up%n"
				+ "server JVM options: %s%n%sarguments: %s%n%n",
				LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME),
				Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), BenchmarkRunner.SERVER_CPU,
				this.settings.tracer().description(), this.settings.requests(), PRIME.toSeconds(), WARMUP.toSeconds(),
				String.join(" ", BenchmarkRunner.SERVER_JVM_OPTIONS) + this.settings.serverJvmOptions().stream()
					.map((option) -> " " + option)
					.collect(Collectors.joining()),
				this.settings.jvm().header(this.settings.servers().stream()
					.filter((server) -> !this.unavailable.containsKey(server))
					.toList()),
				arguments.isEmpty() ? "(none)" : arguments));
		out.append(String.format(Locale.ROOT, "%-18s %-19s %10s %10s  %s%n", "scenario", "server", "requests",
				"calls/req", "most frequent calls, per request"));
		for (Count count : this.counts) {
			out.append(String.format(Locale.ROOT, "%-18s %-19s %,10d %10.2f  %s%n", count.scenario().label(),
					count.server(), count.requests(), count.perRequest(), count.top(TOP)));
		}
		this.unavailable.values().forEach((reason) -> out.append("Not measured: ").append(reason).append('\n'));
		return out.toString();
	}

	/** Every call of every figure: {@code scenario,server,requests,syscall,calls}. */
	private String csv() {
		StringBuilder csv = new StringBuilder("scenario,server,requests,syscall,calls\n");
		for (Count count : this.counts) {
			count.calls().forEach((call, calls) -> csv.append(String.join(",", count.scenario().id(), count.server(),
					Long.toString(count.requests()), call, Long.toString(calls))).append('\n'));
		}
		return csv.toString();
	}

	private static void progress(String format, Object... args) {
		System.err.println(String.format(Locale.ROOT, format, args));
	}

	/**
	 * The system calls of one server in one figure.
	 * @param requests the requests (datagrams) echoed in the counted window
	 * @param calls the count of each call, by name
	 */
	record Count(Scenario scenario, String server, long requests, Map<String, Long> calls) {

		/** Returns the system calls per request, all calls together. */
		double perRequest() {
			return this.calls.values().stream().mapToLong(Long::longValue).sum() / (double) this.requests;
		}

		/** Returns the {@code n} most frequent calls with their count per request: {@code read 1.00, ...}. */
		String top(int n) {
			return this.calls.entrySet().stream()
				.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
					.thenComparing(Map.Entry.comparingByKey()))
				.limit(n)
				.map((call) -> String.format(Locale.ROOT, "%s %.2f", call.getKey(),
						call.getValue() / (double) this.requests))
				.collect(Collectors.joining(", "));
		}

	}

	/** The settings of a count; see the class javadoc. */
	record Settings(long requests, List<String> servers, SyscallTracer tracer, ServerJvm jvm,
			List<String> serverJvmOptions, Path out) {

		/**
		 * Parses the arguments; {@code environment} may name the native backend's JDK.
		 * @throws IllegalArgumentException for an argument it does not know, or a server that is not a TCP or UDP
		 * echo server
		 */
		static Settings parse(String[] args, Map<String, String> environment) {
			long requests = 100_000;
			List<String> servers = null;
			SyscallTracer tracer = null;
			String nativeJdk = null;
			List<String> serverJvmOptions = new ArrayList<>();
			Path out = Path.of("benchmarks", "results");
			for (String arg : args) {
				String value = arg.substring(arg.indexOf('=') + 1);
				if (arg.startsWith("--requests=")) {
					requests = Long.parseLong(value);
				}
				else if (arg.startsWith("--servers=")) {
					servers = List.of(value.split(","));
				}
				else if (arg.startsWith("--tracer=")) {
					tracer = SyscallTracer.valueOf(value.toUpperCase(Locale.ROOT));
				}
				else if (arg.startsWith("--native-jdk=")) {
					nativeJdk = value;
				}
				else if (arg.startsWith("--server-jvm-option=")) {
					serverJvmOptions.add(value);
				}
				else if (arg.startsWith("--out=")) {
					out = Path.of(value);
				}
				else {
					throw new IllegalArgumentException("unknown argument: " + arg + " (see SyscallCount's javadoc)");
				}
			}
			ServerJvm jvm = ServerJvm.of(nativeJdk, environment);
			if (servers == null) {
				servers = new ArrayList<>(List.of(Report.PROTOLOOP, Report.NETTY_EPOLL, Report.NETTY_IO_URING,
						Report.PROTOLOOP_UDP, Report.NETTY_EPOLL_UDP));
				if (jvm.hasNativeJdk()) {
					servers.add(1, Report.PROTOLOOP_EPOLL);
					servers.add(Report.PROTOLOOP_UDP_EPOLL);
				}
			}
			for (String server : servers) {
				Family family = Family.of(server);
				if ((family != Family.TCP && family != Family.UDP) || Report.nioTwin(server).equals(Report.PROTOLOOP_SPRING)) {
					throw new IllegalArgumentException(server + ": system calls are counted for the TCP and UDP echo"
							+ " servers of EchoServerMain only");
				}
			}
			return new Settings(requests, List.copyOf(servers), (tracer != null) ? tracer : SyscallTracer.available(),
					jvm, List.copyOf(serverJvmOptions), out);
		}

	}

}
