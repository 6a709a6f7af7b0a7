package io.protoloop.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The kv scenarios' load: Redis's own {@code redis-benchmark}, pinned to the client CPU, {@value #CLIENTS} clients,
 * {@code SET} then {@code GET} on random keys out of {@value #KEYSPACE}, with a pipeline of 1 or 16. It runs a
 * fixed number of requests, so the runner sizes that number from a first, warm-up run to last about the measured
 * window, and the window spans one whole run (its CPU time is this JVM's children's, once it is reaped).
 */
final class RedisBenchmark {

	static final int CLIENTS = 50;

	static final int KEYSPACE = 100_000;

	/** Requests per test of the first warm-up run, per request in the pipeline. */
	private static final long FIRST_REQUESTS = 20_000;

	private static final long RUN_TIMEOUT_SECONDS = 300;

	private final int port;

	private final int pipeline;

	private final int cpu;

	/**
	 * A load on 127.0.0.1:{@code port} with {@code pipeline} requests in flight per client, pinned to {@code cpu}.
	 */
	RedisBenchmark(int port, int pipeline, int cpu) {
		this.port = port;
		this.pipeline = pipeline;
		this.cpu = cpu;
	}

	/** Returns why {@code redis-benchmark} cannot run here, or {@code null}. */
	static String unavailability() {
		try {
			Process process = new ProcessBuilder("redis-benchmark", "--version").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? null
					: "redis-benchmark --version failed";
		}
		catch (IOException ex) {
			return "redis-benchmark is not installed (Debian: apt-get install redis-tools)";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	/**
	 * Warms the server up for about {@code warmup}, then runs about {@code measure} worth of requests inside the
	 * window, again until the window accepts it.
	 * @return the requests (SET and GET) of the accepted measured run
	 */
	long run(Duration warmup, Duration measure, LoadClient.Window window) throws IOException {
		long perTest = FIRST_REQUESTS * this.pipeline;
		double rate = warm(perTest, warmup);
		long measured = Math.max(perTest, (long) (rate * measure.toNanos() / 1e9 / 2));
		while (true) {
			while (!window.open()) {
				rate = warm(measured / Math.max(1, measure.toSeconds()), Duration.ofSeconds(1));
			}
			runOnce(measured);
			if (window.close()) {
				return 2 * measured;
			}
		}
	}

	/** Runs batches of {@code perTest} until {@code warmup} has passed; returns the last rate in requests/s. */
	private double warm(long perTest, Duration warmup) throws IOException {
		long end = System.nanoTime() + warmup.toNanos();
		double rate;
		do {
			long start = System.nanoTime();
			runOnce(perTest);
			rate = 2 * perTest / ((System.nanoTime() - start) / 1e9);
		}
		while (System.nanoTime() < end);
		return rate;
	}

	/** Runs {@code redis-benchmark} once, {@code perTest} SETs then as many GETs, and checks it succeeded. */
	private void runOnce(long perTest) throws IOException {
		List<String> command = List.of("taskset", "-c", Integer.toString(this.cpu), "redis-benchmark", "-h",
				"127.0.0.1", "-p", Integer.toString(this.port), "-c", Integer.toString(CLIENTS), "-n",
				Long.toString(perTest), "-P", Integer.toString(this.pipeline), "-r", Integer.toString(KEYSPACE),
				"-t", "set,get", "-q");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException("redis-benchmark did not finish: " + String.join(" ", command));
			}
			if (process.exitValue() != 0 || !output.contains("GET:")) {
				throw new IOException(String.format(Locale.ROOT, "redis-benchmark failed (exit %d): %s",
						process.exitValue(), output.strip()));
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted during redis-benchmark", ex);
		}
	}

}
