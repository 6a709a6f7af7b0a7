package io.protoloop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs two ways of moving the same bytes in interleaved rounds (A B, B A, A B, ...), after one warm-up of each
 * that is not counted, and prints the medians: MB/s, each CPU figure in CPU-seconds per GB, the machine's other
 * load during the measurement, and the per-round ratios of the first way to the second. What each way measures
 * besides the wall time is its own business ({@link Transfer}); this class adds what the machine did meanwhile.
 */
final class PairedRounds {

	/** Ticks per second of the kernel's CPU accounting ({@code getconf CLK_TCK}, 100 on Linux). */
	private static final double TICKS_PER_SECOND = 100;

	/** One way of moving {@code bytes}. */
	@FunctionalInterface
	interface Transfer {

		/**
		 * Moves the bytes once and returns the CPU seconds it measured, by name (the same names every time), in
		 * the order they are printed.
		 */
		Map<String, Double> run() throws Exception;

	}

	/** One measured transfer. */
	record Result(String way, int round, double seconds, Map<String, Double> cpuSeconds, double otherLoad) {
	}

	private final long bytes;

	private final int rounds;

	private final Map<String, Transfer> ways = new LinkedHashMap<>();

	private final List<Result> results = new ArrayList<>();

	/**
	 * @param bytes what each transfer moves, for the rates
	 * @param rounds measured rounds of each way
	 */
	PairedRounds(long bytes, int rounds) {
		this.bytes = bytes;
		this.rounds = rounds;
	}

	/** Adds a way; the first added is the one the ratios put over the second. */
	PairedRounds way(String name, Transfer transfer) {
		this.ways.put(name, transfer);
		return this;
	}

	/** Runs the warm-ups and the rounds, printing each result as it comes, then the medians. */
	void run() throws Exception {
		List<String> names = List.copyOf(this.ways.keySet());
		for (String name : names) {
			print(measure(name, 0), "warm-up");
		}
		for (int round = 1; round <= this.rounds; round++) {
			List<String> order = new ArrayList<>(names);
			if (round % 2 == 0) {
				Collections.reverse(order);
			}
			for (String name : order) {
				Result result = measure(name, round);
				this.results.add(result);
				print(result, "round " + round);
			}
		}
		summary(names);
	}

	private Result measure(String way, int round) throws Exception {
		long wallStart = System.nanoTime();
		long busyStart = machineBusyTicks();
		long selfStart = ownTicks();
		Map<String, Double> cpu = this.ways.get(way).run();
		long selfTicks = ownTicks() - selfStart;
		long busyTicks = machineBusyTicks() - busyStart;
		double seconds = (System.nanoTime() - wallStart) / 1e9;
		double cpus = Runtime.getRuntime().availableProcessors();
		double other = Math.max(0, (busyTicks - selfTicks) / TICKS_PER_SECOND) / (seconds * cpus);
		return new Result(way, round, seconds, cpu, other);
	}

	private void print(Result result, String label) {
		StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s %-28s %8.1f MB/s", label,
				result.way(), this.bytes / result.seconds() / 1e6));
		result.cpuSeconds().forEach((name, value) -> line.append(String.format(Locale.ROOT, "  %s %.3f CPU-s/GB",
				name, value / gigabytes())));
		line.append(String.format(Locale.ROOT, "  other %.0f%%", result.otherLoad() * 100));
		System.out.println(line);
	}

	private void summary(List<String> names) {
		System.out.printf(Locale.ROOT, "%nMedians of %d rounds, %d MiB per transfer, %d CPUs, load average %s%n",
				this.rounds, this.bytes >> 20, Runtime.getRuntime().availableProcessors(), loadAverage());
		for (String name : names) {
			List<Result> mine = this.results.stream().filter((r) -> r.way().equals(name)).toList();
			StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s %8.1f MB/s", name,
					median(mine.stream().mapToDouble((r) -> this.bytes / r.seconds() / 1e6).toArray())));
			for (String cpu : mine.get(0).cpuSeconds().keySet()) {
				line.append(String.format(Locale.ROOT, "  %s %.3f CPU-s/GB", cpu,
						median(mine.stream().mapToDouble((r) -> r.cpuSeconds().get(cpu) / gigabytes()).toArray())));
			}
			line.append(String.format(Locale.ROOT, "  other %.0f%%",
					median(mine.stream().mapToDouble(Result::otherLoad).toArray()) * 100));
			System.out.println(line);
		}
		// Ratios within each round, where both ways met the same machine.
		List<Result> first = this.results.stream().filter((r) -> r.way().equals(names.get(0))).toList();
		List<Result> second = this.results.stream().filter((r) -> r.way().equals(names.get(1))).toList();
		StringBuilder ratios = new StringBuilder(String.format(Locale.ROOT, "%s / %s, median of per-round ratios: "
				+ "throughput %.2f", names.get(0), names.get(1), median(ratio(first, second, (r) -> 1 / r.seconds()))));
		for (String cpu : first.get(0).cpuSeconds().keySet()) {
			if (second.get(0).cpuSeconds().containsKey(cpu)) {
				ratios.append(String.format(Locale.ROOT, ", %s CPU %.2f", cpu,
						median(ratio(first, second, (r) -> r.cpuSeconds().get(cpu)))));
			}
		}
		System.out.println(ratios);
	}

	private static double[] ratio(List<Result> first, List<Result> second,
			java.util.function.ToDoubleFunction<Result> figure) {
		double[] ratios = new double[first.size()];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = figure.applyAsDouble(first.get(i)) / figure.applyAsDouble(second.get(i));
		}
		return ratios;
	}

	private double gigabytes() {
		return this.bytes / 1e9;
	}

	/**
	 * Returns the value of {@code --name=N} among {@code args}, or {@code defaultValue}.
	 * @throws IllegalArgumentException for an option that is not one of {@code known}
	 */
	static int intOption(String[] args, String name, int defaultValue, String... known) {
		int value = defaultValue;
		for (String arg : args) {
			String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
			if (!option.equals(name) && !Arrays.asList(known).contains(option)) {
				throw new IllegalArgumentException("Unknown option " + arg + "; options: " + name + "=N"
						+ (known.length > 0 ? ", " + String.join("=N, ", known) + "=N" : ""));
			}
			if (option.equals(name)) {
				value = Integer.parseInt(arg.substring(name.length() + 1));
			}
		}
		return value;
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	/** Returns this JVM's CPU time so far, every thread, user and system, in seconds. */
	static double jvmCpuSeconds() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1e9;
	}

	/**
	 * Returns the CPU time of the children this JVM has reaped so far (a child counts once it has exited and
	 * Java has waited for it), in seconds, to the kernel's tick.
	 */
	static double reapedChildrenCpuSeconds() throws IOException {
		return (selfStat(16) + selfStat(17)) / TICKS_PER_SECOND;
	}

	/** This JVM's CPU ticks and those of the children it has reaped: {@code utime stime cutime cstime}. */
	private static long ownTicks() throws IOException {
		return selfStat(14) + selfStat(15) + selfStat(16) + selfStat(17);
	}

	/** Returns field {@code field} (numbered from 1, as in proc(5)) of {@code /proc/self/stat}. */
	private static long selfStat(int field) throws IOException {
		String stat = Files.readString(Path.of("/proc/self/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[field - 3]);
	}

	private static long machineBusyTicks() throws IOException {
		return Arrays.stream(ProcStat.coreBusyTicks()).sum();
	}

	private static String loadAverage() {
		return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

}
