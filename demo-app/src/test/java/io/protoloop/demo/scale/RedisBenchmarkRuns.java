package io.protoloop.demo.scale;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real {@code redis-benchmark} run again and again against a port until stopped, each run with a new
 * connection per request ({@code -k 0}): every request is a client that connects while instances restart. A run
 * that exits with an error (redis-benchmark exits at the first error reply or lost connection) or prints an error
 * is a failure, reported with its output.
 */
final class RedisBenchmarkRuns implements AutoCloseable {

	/** Requests of each test (SET, GET) in one run. */
	private static final int REQUESTS = 2000;

	private final Thread thread;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong runs = new AtomicLong();

	private final Queue<String> failures = new ConcurrentLinkedQueue<>();

	private volatile boolean running = true;

	private volatile Process current;

	/**
	 * Starts the runs.
	 * @param port the kv port (HAProxy's frontend)
	 * @param output where each run's output goes while it runs
	 */
	RedisBenchmarkRuns(int port, Path output) {
		this.thread = new Thread(() -> run(port, output), "redis-benchmark-runs");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Whether {@code redis-benchmark} is on the PATH. */
	static boolean installed() {
		return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter((directory) -> !directory.isEmpty())
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, "redis-benchmark")));
	}

	private void run(int port, Path output) {
		while (this.running) {
			try {
				this.current = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p", String.valueOf(port),
						"-k", "0", "-c", "4", "-n", String.valueOf(REQUESTS), "-t", "set,get", "-q")
					.redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!this.current.waitFor(60, TimeUnit.SECONDS)) {
					this.current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
					this.failures.add("redis-benchmark did not finish 2 x " + REQUESTS + " requests within 60 s");
					continue;
				}
				String printed = Files.readString(output, StandardCharsets.ISO_8859_1);
				if (this.current.exitValue() != 0 || printed.contains("Error") || printed.contains("ERR")) {
					this.failures.add("redis-benchmark exited with " + this.current.exitValue() + ": " + printed.strip());
				}
				else {
					this.requests.addAndGet(2L * REQUESTS);
					this.runs.incrementAndGet();
				}
			}
			catch (IOException ex) {
				this.failures.add("redis-benchmark: " + ex);
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Lets the current run finish, then returns the figures. */
	Figures stop() throws InterruptedException {
		this.running = false;
		this.thread.join(TimeUnit.SECONDS.toMillis(90));
		return new Figures(this.requests.get(), this.runs.get(), new ArrayList<>(this.failures));
	}

	@Override
	public void close() {
		try {
			this.running = false;
			Process process = this.current;
			if (process != null) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			this.thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		catch (InterruptedException ex) {
			// Closing is cleanup: keep the interrupt for the test that is ending.
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What the runs counted.
	 * @param requests requests of the runs that completed without an error
	 * @param runs those runs
	 * @param failures the runs that did not, with what they printed
	 */
	record Figures(long requests, long runs, List<String> failures) {

		@Override
		public String toString() {
			return "%d requests in %d runs of redis-benchmark -k 0 (a connection per request), %d failed runs"
				.formatted(this.requests, this.runs, this.failures.size());
		}

	}

}
