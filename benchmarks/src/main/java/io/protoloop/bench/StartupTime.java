package io.protoloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.protoloop.bench.startup.StartupApp;

/**
 * The starter's share of application start-up ({@code benchmarks/run.sh startup}): starts a minimal Spring Boot
 * application (no web server) in four {@link Variant}s, each classpath made of the jars its dependencies bring,
 * a fresh JVM each time pinned to the server CPU, {@code --runs=N} rounds (default 10) that start each variant once
 * in a rotating order. Each run reports start-up as Spring Boot does at {@code ApplicationStartedEvent} (the JVM
 * uptime, and {@code SpringApplication.run}'s time taken; and the CPU time of the main thread and of the process by
 * then, which depend less on other load), then exits; the summary gives medians and spread, and the
 * starter's share, with and without Actuator. Each round also starts each variant once more with a
 * {@code BufferingApplicationStartup} ({@link StartupApp}), whose medians name where the time goes.
 *
 * <p>Options: {@code --runs=N}, {@code --out=DIR} (default {@code benchmarks/results}).
 */
public final class StartupTime {

	/** The jars every variant gets: {@code spring-boot-starter} and what it brings. */
	static final List<String> BOOT_JARS = List.of("spring-boot-starter", "spring-boot-starter-logging", "logback-classic",
			"logback-core", "log4j-to-slf4j", "log4j-api", "jul-to-slf4j", "slf4j-api", "spring-boot-autoconfigure",
			"spring-boot", "spring-core", "spring-context", "spring-aop", "spring-beans", "spring-expression",
			"commons-logging", "jspecify", "jakarta.annotation-api", "snakeyaml", "micrometer-observation",
			"micrometer-commons");

	/** The jars {@code protoloop-spring-boot-starter} adds. */
	static final List<String> PROTOLOOP_JARS = List.of("protoloop-spring-boot-starter", "protoloop-core",
			"protoloop-spring-boot-autoconfigure", "protoloop-spring-boot-actuator");

	/** The jars {@code spring-boot-starter-actuator} adds. */
	static final List<String> ACTUATOR_JARS = List.of("spring-boot-starter-actuator",
			"spring-boot-starter-micrometer-metrics", "spring-boot-micrometer-metrics",
			"spring-boot-micrometer-observation", "micrometer-core", "HdrHistogram", "spring-boot-actuator-autoconfigure",
			"spring-boot-actuator", "spring-boot-health", "micrometer-jakarta9");

	/** The longest one start may take before the run is abandoned. */
	private static final long LIMIT_SECONDS = 120;

	/** The breakdown keys of Boot's and the context's steps, in the order of start-up. */
	private static final List<String> STEP_ORDER = List.of("step:spring.boot.application.starting",
			"step:spring.boot.application.environment-prepared", "step:spring.boot.application.context-prepared",
			"step:spring.boot.application.context-loaded", "step:spring.context.refresh",
			"step:spring.context.config-classes.parse",
			"step:spring.context.beans.post-process", "step:spring.beans.smart-initialize",
			"step:spring.boot.application.started", "step:spring.boot.application.ready", "protoloop-beans",
			"endpoints-start");

	/** The figures of each run the summary gives, each with its name. */
	private static final Map<String, ToDoubleFunction<Run>> FIGURES = figures();

	/** The application variants. */
	enum Variant {

		/** Spring Boot alone. */
		PLAIN("spring-boot", "io.protoloop.bench.startup.plain.PlainApplication", false, false),

		/** With the Protoloop starter and one TCP echo endpoint. */
		PROTOLOOP("+protoloop", "io.protoloop.bench.startup.echo.EchoApplication", true, false),

		/** With Actuator. */
		ACTUATOR("+actuator", "io.protoloop.bench.startup.plain.PlainApplication", false, true),

		/** With both. */
		BOTH("+protoloop+actuator", "io.protoloop.bench.startup.echo.EchoApplication", true, true);

		final String label;

		final String mainClass;

		final boolean protoloop;

		final boolean actuator;

		Variant(String label, String mainClass, boolean protoloop, boolean actuator) {
			this.label = label;
			this.mainClass = mainClass;
			this.protoloop = protoloop;
			this.actuator = actuator;
		}

		/** Returns the artifacts whose jars make this variant's classpath. */
		List<String> artifacts() {
			List<String> artifacts = new ArrayList<>(BOOT_JARS);
			if (this.protoloop) {
				artifacts.addAll(PROTOLOOP_JARS);
			}
			if (this.actuator) {
				artifacts.addAll(ACTUATOR_JARS);
			}
			return artifacts;
		}

		/**
		 * Returns the jars of {@code jars} (file names in {@code target/lib}, {@code artifactId-version.jar}) that
		 * make this variant's classpath.
		 * @throws IllegalStateException if an artifact has no jar there, or more than one
		 */
		List<String> jars(List<String> jars) {
			List<String> selected = new ArrayList<>();
			for (String artifact : artifacts()) {
				List<String> found = jars.stream()
					.filter((jar) -> jar.startsWith(artifact + "-") && jar.endsWith(".jar")
							&& Character.isDigit(jar.charAt(artifact.length() + 1)))
					.toList();
				if (found.size() != 1) {
					throw new IllegalStateException("Expected one jar of " + artifact + " in benchmarks/target/lib, "
							+ "found " + found + ": has the benchmarks pom's dependencies changed?");
				}
				selected.add(found.get(0));
			}
			return selected;
		}

	}

	/**
	 * What one start reported, in ms: the JVM uptime, Spring's time taken, the main thread's and the process's CPU
	 * time; and the breakdown's nanoseconds.
	 */
	record Run(double uptimeMillis, double takenMillis, double mainCpuMillis, double processCpuMillis,
			Map<String, Long> steps) {

		/**
		 * Reads what {@link StartupApp} printed for {@code variant} among the lines of its output.
		 * @throws IllegalStateException if it did not report, or its classpath did not hold what {@code variant}
		 * should
		 */
		static Run parse(Variant variant, List<String> output) {
			Map<String, String> figures = null;
			Map<String, Long> steps = new LinkedHashMap<>();
			for (String line : output) {
				String[] words = line.split(" ");
				if (words[0].equals(StartupApp.STARTED)) {
					figures = Stream.of(words).skip(1).map((word) -> word.split("=", 2))
						.collect(Collectors.toMap((pair) -> pair[0], (pair) -> pair[1]));
				}
				else if (words[0].equals(StartupApp.STEP) && words.length == 3) {
					steps.put(words[1], Long.parseLong(words[2]));
				}
			}
			if (figures == null) {
				throw new IllegalStateException(variant.label + " did not report its start-up");
			}
			if (Boolean.parseBoolean(figures.get("protoloop")) != variant.protoloop
					|| Boolean.parseBoolean(figures.get("actuator")) != variant.actuator) {
				throw new IllegalStateException(variant.label + " ran with the wrong classpath: " + figures);
			}
			return new Run(Double.parseDouble(figures.get("uptime-ms")),
					Long.parseLong(figures.get("taken-ns")) / 1e6, Long.parseLong(figures.get("main-cpu-ns")) / 1e6,
					Long.parseLong(figures.get("process-cpu-ns")) / 1e6, steps);
		}

	}

	private final Settings settings;

	private final Path runDirectory;

	/** The one-minute load average when the measurement started: the machine is shared. */
	private final String loadAtStart;

	private final Map<Variant, List<Run>> timed = new EnumMap<>(Variant.class);

	private final Map<Variant, List<Run>> breakdowns = new EnumMap<>(Variant.class);

	private StartupTime(Settings settings, Path runDirectory) {
		this.settings = settings;
		this.runDirectory = runDirectory;
		this.loadAtStart = loadAverage();
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.parse(args);
		Path runDirectory = settings.out().resolve(
				LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-startup");
		Files.createDirectories(runDirectory);
		new StartupTime(settings, runDirectory).run(String.join(" ", args));
	}

	private void run(String arguments) throws IOException, InterruptedException {
		Path lib = Path.of("benchmarks", "target", "lib");
		List<String> jars;
		try (Stream<Path> files = Files.list(lib)) {
			jars = files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
		Variant[] variants = Variant.values();
		for (int round = 0; round < this.settings.runs(); round++) {
			for (int i = 0; i < variants.length; i++) {
				Variant variant = variants[(round + i) % variants.length];
				Run run = start(variant, jars, lib, false, round);
				this.timed.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(run);
				progress("round %d %-20s uptime %6.0f ms  run %6.1f ms  main CPU %6.1f ms  process CPU %6.1f ms",
						round + 1, variant.label, run.uptimeMillis(), run.takenMillis(), run.mainCpuMillis(),
						run.processCpuMillis());
			}
			for (int i = 0; i < variants.length; i++) {
				Variant variant = variants[(round + i) % variants.length];
				this.breakdowns.computeIfAbsent(variant, (key) -> new ArrayList<>())
					.add(start(variant, jars, lib, true, round));
			}
		}
		String summary = summary(arguments);
		Files.writeString(this.runDirectory.resolve("summary.txt"), summary);
		System.out.println(summary);
		System.out.println("Summary and the applications' output: " + this.runDirectory);
	}

	/** Starts {@code variant} once, pinned to the server CPU, and returns what it reported. */
	private Run start(Variant variant, List<String> jars, Path lib, boolean breakdown, int round)
			throws IOException, InterruptedException {
		String classpath = Stream.concat(Stream.of(Path.of("benchmarks", "target", "classes").toString()),
				variant.jars(jars).stream().map((jar) -> lib.resolve(jar).toString()))
			.collect(Collectors.joining(":"));
		List<String> command = new ArrayList<>(List.of("taskset", "-c", Integer.toString(BenchmarkRunner.SERVER_CPU),
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
				variant.mainClass));
		if (breakdown) {
			command.add(StartupApp.BREAKDOWN);
		}
		Path log = this.runDirectory.resolve(String.format(Locale.ROOT, "%s-%s%d.log",
				variant.name().toLowerCase(Locale.ROOT), breakdown ? "breakdown-" : "", round + 1));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			throw new IOException(variant.label + " did not exit within " + LIMIT_SECONDS + " s; see " + log);
		}
		try {
			return Run.parse(variant, Files.readAllLines(log));
		}
		catch (IllegalStateException ex) {
			throw new IOException(ex.getMessage() + " (exit " + process.exitValue() + "); see " + log, ex);
		}
	}

	private String summary(String arguments) throws IOException {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "Protoloop start-up, %s%n"
				+ "machine: Linux %s, load average at the start %s and at the end %s; applications on CPU %d,"
				+ " JVM defaults%n"
				+ "JDK: %s%n%d rounds, each starting every variant once in a rotating order; no web server%n"
				+ "arguments: %s%n%n", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME),
				Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(),
				this.loadAtStart, loadAverage(),
				BenchmarkRunner.SERVER_CPU, ServerJvm.describe(Path.of(System.getProperty("java.home"))),
				this.settings.runs(), arguments.isEmpty() ? "(none)" : arguments));
		out.append(String.format(Locale.ROOT, "%-20s", "ms, median (min-max)"));
		FIGURES.keySet().forEach((figure) -> out.append(String.format(Locale.ROOT, " %24s", figure)));
		out.append('\n');
		for (Variant variant : Variant.values()) {
			out.append(String.format(Locale.ROOT, "%-20s", variant.label));
			for (ToDoubleFunction<Run> figure : FIGURES.values()) {
				List<Run> runs = this.timed.get(variant);
				out.append(String.format(Locale.ROOT, " %24s", String.format(Locale.ROOT, "%.0f (%.0f-%.0f)",
						median(runs.stream().map(figure::applyAsDouble).toList()),
						runs.stream().mapToDouble(figure).min().orElse(0),
						runs.stream().mapToDouble(figure).max().orElse(0))));
			}
			out.append('\n');
		}
		out.append(String.format(Locale.ROOT, "%nThe starter's share, ms: the difference of the medians, and in"
				+ " brackets the range of the same difference within each round%n"));
		out.append(share("without Actuator", Variant.PROTOLOOP, Variant.PLAIN));
		out.append(share("with Actuator", Variant.BOTH, Variant.ACTUATOR));
		out.append(String.format(Locale.ROOT, "%nBreakdown: medians of %d runs per variant with a"
				+ " BufferingApplicationStartup (ms; a step's time includes its nested steps; a bean's is its own"
				+ " instantiation less the beans it made)%n", this.settings.runs()));
		out.append(String.format(Locale.ROOT, "%-50s", "step"));
		for (Variant variant : Variant.values()) {
			out.append(String.format(Locale.ROOT, " %20s", variant.label));
		}
		out.append('\n');
		Set<String> beans = new TreeSet<>();
		this.breakdowns.values().forEach((runs) -> runs.forEach((run) -> run.steps().keySet().stream()
			.filter((key) -> key.startsWith("bean:"))
			.forEach(beans::add)));
		for (Map.Entry<String, ToDoubleFunction<Run>> figure : FIGURES.entrySet()) {
			out.append(String.format(Locale.ROOT, "%-50s", figure.getKey()));
			for (Variant variant : Variant.values()) {
				out.append(String.format(Locale.ROOT, " %20.1f", median(this.breakdowns.get(variant).stream()
					.map(figure.getValue()::applyAsDouble)
					.toList())));
			}
			out.append('\n');
		}
		for (String key : Stream.concat(STEP_ORDER.stream(), beans.stream()).toList()) {
			out.append(String.format(Locale.ROOT, "%-50s", label(key)));
			for (Variant variant : Variant.values()) {
				List<Double> values = this.breakdowns.get(variant).stream()
					.filter((run) -> run.steps().containsKey(key))
					.map((run) -> run.steps().get(key) / 1e6)
					.toList();
				out.append(values.isEmpty() ? String.format(Locale.ROOT, " %20s", "-")
						: String.format(Locale.ROOT, " %20.1f", median(values)));
			}
			out.append('\n');
		}
		return out.toString();
	}

	/** Returns how the breakdown names {@code key}: a step by its name, a bean by its name or its class's simple name. */
	static String label(String key) {
		if (key.startsWith("step:")) {
			return key.substring("step:".length());
		}
		if (key.startsWith("bean:")) {
			String bean = key.substring("bean:".length());
			return "  bean " + bean.substring(bean.lastIndexOf('.') + 1);
		}
		return key;
	}

	/** The share of {@code with} over {@code without} on each figure. */
	private String share(String label, Variant with, Variant without) {
		StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", label));
		List<Run> withRuns = this.timed.get(with);
		List<Run> withoutRuns = this.timed.get(without);
		for (ToDoubleFunction<Run> figure : FIGURES.values()) {
			List<Double> paired = new ArrayList<>();
			for (int i = 0; i < withRuns.size(); i++) {
				paired.add(figure.applyAsDouble(withRuns.get(i)) - figure.applyAsDouble(withoutRuns.get(i)));
			}
			double share = median(withRuns.stream().map(figure::applyAsDouble).toList())
					- median(withoutRuns.stream().map(figure::applyAsDouble).toList());
			line.append(String.format(Locale.ROOT, " %24s", String.format(Locale.ROOT, "%+.0f [%+.0f, %+.0f]", share,
					paired.stream().mapToDouble(Double::doubleValue).min().orElse(0),
					paired.stream().mapToDouble(Double::doubleValue).max().orElse(0))));
		}
		return line.append('\n').toString();
	}

	private static Map<String, ToDoubleFunction<Run>> figures() {
		Map<String, ToDoubleFunction<Run>> figures = new LinkedHashMap<>();
		figures.put("JVM uptime at started", Run::uptimeMillis);
		figures.put("SpringApplication.run", Run::takenMillis);
		figures.put("main thread CPU", Run::mainCpuMillis);
		figures.put("process CPU", Run::processCpuMillis);
		return figures;
	}

	/** Returns the median of {@code values}: the middle one, or the mean of the two middle ones. */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/** Returns the one-minute load average, from {@code /proc/loadavg}. */
	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ", 2)[0];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static void progress(String format, Object... args) {
		System.err.println(String.format(Locale.ROOT, format, args));
	}

	/** The settings of a measurement; see the class javadoc. */
	record Settings(int runs, Path out) {

		/**
		 * Parses the arguments.
		 * @throws IllegalArgumentException for an argument it does not know, or fewer than one run
		 */
		static Settings parse(String[] args) {
			int runs = 10;
			Path out = Path.of("benchmarks", "results");
			for (String arg : args) {
				String value = arg.substring(arg.indexOf('=') + 1);
				if (arg.startsWith("--runs=")) {
					runs = Integer.parseInt(value);
				}
				else if (arg.startsWith("--out=")) {
					out = Path.of(value);
				}
				else {
					throw new IllegalArgumentException("unknown argument: " + arg + " (see StartupTime's javadoc)");
				}
			}
			if (runs < 1) {
				throw new IllegalArgumentException("--runs=" + runs + ": at least one run is needed");
			}
			return new Settings(runs, out);
		}

	}

}
