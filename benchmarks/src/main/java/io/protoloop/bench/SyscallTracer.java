package io.protoloop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts the system calls of a running process, every thread of it, from the moment {@link #attach} returns to
 * {@link Attachment#stop()}: {@code perf stat} on the {@code syscalls:sys_enter_*} tracepoints, counted in the
 * kernel at little cost to the process, or {@code strace -c -f}, which stops the process at every call (it slows the
 * server down, and so can change how many calls its loop makes per request: more readiness per wait).
 */
enum SyscallTracer {

	/** {@code perf stat -e syscalls:sys_enter_*}, started with its counters off and switched through its FIFOs. */
	PERF("perf stat (syscalls:sys_enter_* tracepoints)") {

		@Override
		Attachment attach(long pid, Path directory) throws IOException {
			return new PerfAttachment(pid, directory);
		}

	},

	/** {@code strace -c -f -p}: ptrace, so every call of the server stops it. */
	STRACE("strace -c -f") {

		@Override
		Attachment attach(long pid, Path directory) throws IOException {
			return new StraceAttachment(pid, directory);
		}

	};

	/** The longest the tracer may take to attach, switch its counters or exit. */
	private static final long TIMEOUT_SECONDS = 60;

	private final String description;

	SyscallTracer(String description) {
		this.description = description;
	}

	/** Returns what counts, for the summary. */
	String description() {
		return this.description;
	}

	/**
	 * Attaches to every thread of {@code pid} and returns once it counts; its files go to {@code directory}.
	 * @throws IOException if the tracer cannot attach
	 */
	abstract Attachment attach(long pid, Path directory) throws IOException;

	/** Returns {@link #PERF} where it can count system calls here (permissions, tracepoints), else {@link #STRACE}. */
	static SyscallTracer available() {
		try {
			Process probe = new ProcessBuilder("perf", "stat", "-e", "syscalls:sys_enter_getpid", "--", "true")
				.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
			return (probe.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0) ? PERF : STRACE;
		}
		catch (IOException ex) {
			return STRACE;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return STRACE;
		}
	}

	/**
	 * Returns the count of each call in {@code perf stat -x,} output: lines {@code count,unit,syscalls:sys_enter_NAME,...};
	 * calls not counted and calls never made are left out.
	 */
	static Map<String, Long> parsePerf(List<String> lines) {
		String prefix = "syscalls:sys_enter_";
		Map<String, Long> calls = new LinkedHashMap<>();
		for (String line : lines) {
			String[] fields = line.split(",");
			if (fields.length > 2 && fields[2].startsWith(prefix) && fields[0].matches("[0-9]+")) {
				long count = Long.parseLong(fields[0]);
				if (count > 0) {
					calls.put(fields[2].substring(prefix.length()), count);
				}
			}
		}
		return calls;
	}

	/**
	 * Returns the count of each call in the table of {@code strace -c}: rows
	 * {@code % time, seconds, usecs/call, calls, [errors,] syscall}, without the total.
	 */
	static Map<String, Long> parseStrace(List<String> lines) {
		Map<String, Long> calls = new LinkedHashMap<>();
		for (String line : lines) {
			String[] fields = line.trim().split("\\s+");
			if ((fields.length == 5 || fields.length == 6) && fields[0].matches("[0-9.]+")
					&& fields[3].matches("[0-9]+") && !fields[fields.length - 1].equals("total")) {
				calls.put(fields[fields.length - 1], Long.parseLong(fields[3]));
			}
		}
		return calls;
	}

	/** Waits for {@code process} to exit, or kills it after {@link #TIMEOUT_SECONDS}. */
	private static void awaitExit(Process process, String what) throws IOException {
		try {
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(what + " did not exit");
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while " + what + " exited", ex);
		}
	}

	/** Sends {@code SIGINT} to {@code process}: perf and strace print their counts and detach on it. */
	private static void interrupt(Process process) throws IOException {
		Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
		awaitExit(kill, "kill");
	}

	/** A tracer attached to a process: {@link #stop()} detaches it and returns the count of each call since. */
	interface Attachment {

		/**
		 * Stops counting, detaches and returns the count of each call, by name.
		 * @throws IOException if the tracer failed
		 */
		Map<String, Long> stop() throws IOException;

	}

	/**
	 * perf stat attached with its counters off ({@code -D -1}); {@code enable} and {@code disable} go through its
	 * control FIFO, and perf acknowledges each on the other, so counting starts and ends exactly there. This JVM opens
	 * both FIFOs read-write, which does not wait for perf to open its ends (and lets a stuck wait for an
	 * acknowledgement be released from here).
	 */
	private static final class PerfAttachment implements Attachment {

		private final Process perf;

		private final RandomAccessFile control;

		private final RandomAccessFile acknowledgements;

		private final Path output;

		private final Path log;

		PerfAttachment(long pid, Path directory) throws IOException {
			Path controlFifo = directory.resolve("perf-control");
			Path ackFifo = directory.resolve("perf-ack");
			for (Path fifo : List.of(controlFifo, ackFifo)) {
				Files.deleteIfExists(fifo);
				Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
				awaitExit(mkfifo, "mkfifo");
				if (mkfifo.exitValue() != 0) {
					throw new IOException("mkfifo " + fifo + " failed");
				}
			}
			this.control = new RandomAccessFile(controlFifo.toFile(), "rw");
			this.acknowledgements = new RandomAccessFile(ackFifo.toFile(), "rw");
			this.output = directory.resolve("perf-stat.csv");
			this.log = directory.resolve("perf.log");
			try {
				this.perf = new ProcessBuilder("perf", "stat", "-x", ",", "-e", "syscalls:sys_enter_*", "-p",
						Long.toString(pid), "-D", "-1", "--control", "fifo:" + controlFifo + "," + ackFifo, "-o",
						this.output.toString())
					.redirectErrorStream(true).redirectOutput(this.log.toFile()).start();
			}
			catch (IOException ex) {
				close();
				throw ex;
			}
			try {
				command("enable");
			}
			catch (IOException ex) {
				this.perf.destroyForcibly();
				close();
				throw ex;
			}
		}

		@Override
		public Map<String, Long> stop() throws IOException {
			try {
				command("disable");
				interrupt(this.perf);
				awaitExit(this.perf, "perf stat");
				return parsePerf(Files.readAllLines(this.output));
			}
			finally {
				this.perf.destroyForcibly();
				close();
			}
		}

		/** Sends {@code command} to perf and waits for its acknowledgement. */
		private void command(String command) throws IOException {
			this.control.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
			CompletableFuture<String> ack = CompletableFuture.supplyAsync(this::readAck);
			try {
				String reply = ack.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
				if (!reply.equals("ack")) {
					throw new IOException("perf answered '" + reply + "' to " + command + "; see " + this.log);
				}
			}
			catch (TimeoutException ex) {
				// Releases the reader, which waits on the FIFO this JVM also writes.
				this.acknowledgements.write("timeout\n".getBytes(StandardCharsets.US_ASCII));
				throw new IOException("perf did not acknowledge " + command + "; see " + this.log, ex);
			}
			catch (ExecutionException ex) {
				throw new IOException("Reading perf's acknowledgement failed", ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while waiting for perf", ex);
			}
		}

		/** Reads one line from the acknowledgement FIFO. */
		private String readAck() {
			StringBuilder line = new StringBuilder();
			try {
				int b;
				while ((b = this.acknowledgements.read()) >= 0 && b != '\n') {
					// perf writes its "ack\n" with the string's terminating NUL, which the next read meets first.
					if (b != 0) {
						line.append((char) b);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return line.toString();
		}

		private void close() throws IOException {
			try {
				this.control.close();
			}
			finally {
				this.acknowledgements.close();
			}
		}

	}

	/**
	 * strace {@code -c -f -p}: attached to every thread once it says so on its standard error; {@code SIGINT}
	 * detaches it and has it write its table.
	 */
	private static final class StraceAttachment implements Attachment {

		private final Process strace;

		private final Path output;

		StraceAttachment(long pid, Path directory) throws IOException {
			this.output = directory.resolve("strace-c.txt");
			this.strace = new ProcessBuilder("strace", "-c", "-f", "-p", Long.toString(pid), "-o",
					this.output.toString())
				.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
			BufferedReader messages = new BufferedReader(new InputStreamReader(this.strace.getErrorStream(),
					StandardCharsets.UTF_8));
			String line;
			while ((line = messages.readLine()) != null && !line.contains(" attached")) {
				// strace says "Process N attached with M threads" once it traces them all.
			}
			if (line == null) {
				awaitExit(this.strace, "strace");
				throw new IOException("strace did not attach to " + pid + " (exit status " + this.strace.exitValue()
						+ ")");
			}
			// What strace says when it detaches is not read: let it go.
			CompletableFuture.runAsync(() -> drain(messages));
		}

		@Override
		public Map<String, Long> stop() throws IOException {
			try {
				interrupt(this.strace);
				awaitExit(this.strace, "strace");
				return parseStrace(Files.readAllLines(this.output));
			}
			finally {
				this.strace.destroyForcibly();
			}
		}

		private static void drain(BufferedReader messages) {
			try (messages) {
				while (messages.readLine() != null) {
					// Discarded.
				}
			}
			catch (IOException ex) {
				// strace is gone: nothing left to read.
			}
		}

	}

}
