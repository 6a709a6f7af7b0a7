package io.protoloop.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the kernel's accounting under {@code /proc}: CPU time of a process, busy time of each CPU, resident
 * memory of a process. Times are in clock ticks ({@code getconf CLK_TCK}).
 */
final class ProcStat {

	private ProcStat() {
	}

	/** Returns {@code utime + stime} of process {@code pid}: all its threads, user and system. */
	static long processTicks(long pid) throws IOException {
		String[] fields = statFields(pid);
		return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
	}

	/**
	 * Returns {@link #processTicks} plus {@code cutime + cstime}: the CPU time of the children of {@code pid} that
	 * have ended and been waited for, such as the {@code redis-benchmark} runs of the runner.
	 */
	static long processAndChildrenTicks(long pid) throws IOException {
		String[] fields = statFields(pid);
		return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]) + Long.parseLong(fields[16 - 3])
				+ Long.parseLong(fields[17 - 3]);
	}

	/** Returns the fields of {@code /proc/<pid>/stat} from field 3 (state) on. */
	private static String[] statFields(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		// Fields after the command name, which is in parentheses and may contain spaces: state is field 3.
		return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
	}

	/**
	 * Returns {@code utime + stime} of the threads of process {@code pid} whose name (as the kernel keeps it, 15
	 * characters at most) contains {@code name}; threads that end while being read are left out.
	 */
	static long threadTicks(long pid, String name) throws IOException {
		long ticks = 0;
		try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path thread : threads) {
				String stat;
				try {
					stat = Files.readString(thread.resolve("stat"));
				}
				catch (IOException ended) {
					continue;
				}
				if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).contains(name)) {
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks += Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
				}
			}
		}
		return ticks;
	}

	/** Returns the time each CPU has spent busy (anything but idle and I/O wait), indexed by CPU number. */
	static long[] coreBusyTicks() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("/proc/stat")).stream()
			.filter((line) -> line.matches("cpu[0-9]+ .*"))
			.toList();
		long[] busy = new long[lines.size()];
		for (String line : lines) {
			String[] fields = line.split(" +");
			long total = 0;
			for (int i = 1; i < fields.length; i++) {
				total += Long.parseLong(fields[i]);
			}
			// user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
			long guest = (fields.length > 10) ? Long.parseLong(fields[9]) + Long.parseLong(fields[10]) : 0;
			busy[Integer.parseInt(fields[0].substring(3))] = total - guest - Long.parseLong(fields[4])
					- Long.parseLong(fields[5]);
		}
		return busy;
	}

	/** Returns the resident set size ({@code VmRSS}) of process {@code pid}, in bytes. */
	static long residentBytes(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		throw new IOException("No VmRSS in /proc/" + pid + "/status");
	}

}
