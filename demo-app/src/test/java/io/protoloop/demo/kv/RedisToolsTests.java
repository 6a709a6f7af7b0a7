package io.protoloop.demo.kv;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;

import io.protoloop.boot.context.LocalEndpointPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kv endpoint with the real Redis tools, {@code redis-cli} and {@code redis-benchmark} (Debian package
 * {@code redis-tools}); each test is skipped when its tool is not on the PATH.
 */
@KvSpringBootTest
@Timeout(180)
class RedisToolsTests {

	/** Bound on each run of a tool. */
	private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);

	/**
	 * A line of redis-benchmark's quiet output: {@code SET: 51282.05 requests per second, p50=0.447 msec}, or
	 * {@code MSET (10 keys): ...}.
	 */
	private static final Pattern BENCHMARK_RESULT = Pattern
		.compile("^([A-Z_]+)(?: \\([^)]*\\))?: ([0-9.]+) requests per second");

	@LocalEndpointPort("kv")
	int port;

	@Autowired
	KeyValueStore store;

	@TempDir
	Path directory;

	@Test
	void redisCliPingsSetsAndGets() throws Exception {
		assumeOnPath("redis-cli");
		assertThat(redisCli("PING")).isEqualTo(new Run(0, "PONG\n"));
		assertThat(redisCli("SET", "tools:greeting", "hello from redis-cli")).isEqualTo(new Run(0, "OK\n"));
		assertThat(redisCli("GET", "tools:greeting")).isEqualTo(new Run(0, "hello from redis-cli\n"));
		assertThat(redisCli("INCR", "tools:greeting").output().strip())
			.isEqualTo("ERR value is not an integer or out of range");
		assertThat(redisCli("NOSUCHCOMMAND").output().strip()).isEqualTo("ERR unknown command 'NOSUCHCOMMAND'");
	}

	@Test
	void redisCliPipeModeInsertsAMillionKeys() throws Exception {
		assumeOnPath("redis-cli");
		int keys = 1_000_000;
		Path input = this.directory.resolve("commands.resp");
		try (Writer commands = Files.newBufferedWriter(input, StandardCharsets.ISO_8859_1)) {
			for (int i = 0; i < keys; i++) {
				commands.write(RespClient.raw(RespClient.command("SET", "k:" + i, Integer.toString(i))));
			}
		}
		this.store.clear();
		try {
			Run run = run(input, "redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(this.port), "--pipe");
			assertThat(run.exitCode()).as(run.output()).isZero();
			assertThat(run.output()).contains("errors: 0, replies: " + keys);
			assertThat(redisCli("DBSIZE")).isEqualTo(new Run(0, keys + "\n"));
			assertThat(redisCli("GET", "k:" + (keys - 1))).isEqualTo(new Run(0, (keys - 1) + "\n"));
			assertThat(this.store.usedMemory()).isLessThanOrEqualTo(this.store.maxMemory());
		}
		finally {
			this.store.clear();
		}
	}

	@Test
	void redisBenchmarkCompletesWithoutErrorsPipelined() throws Exception {
		assumeOnPath("redis-benchmark");
		Run run = run(null, "redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(this.port), "-t",
				"ping,set,get,mset,lpush", "-P", "16", "-n", "20000", "-q");
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("warning");
		List<String> tests = new ArrayList<>();
		for (String line : run.output().split("[\r\n]+")) {
			Matcher result = BENCHMARK_RESULT.matcher(line.strip());
			if (result.find()) {
				tests.add(result.group(1));
				assertThat(Double.parseDouble(result.group(2))).as(line).isPositive();
			}
		}
		// redis-benchmark 7 exits at the first error reply, so every command it sends here must be implemented.
		assertThat(tests).as(run.output()).containsExactly("PING_INLINE", "PING_MBULK", "SET", "GET", "LPUSH", "MSET");
	}

	private Run redisCli(String... args) throws Exception {
		List<String> command = new ArrayList<>(
				List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(this.port)));
		command.addAll(Arrays.asList(args));
		return run(null, command.toArray(String[]::new));
	}

	/**
	 * Runs a tool to its end, within {@link #PROCESS_TIMEOUT}, its output (stdout and stderr) kept in a file, so a
	 * full pipe never stalls it.
	 * @param input the file to read as standard input, or {@code null} for none
	 */
	private Run run(Path input, String... command) throws IOException, InterruptedException {
		Path output = Files.createTempFile(this.directory, "output", ".txt");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		if (input != null) {
			builder.redirectInput(input.toFile());
		}
		Process process = builder.start();
		if (input == null) {
			process.getOutputStream().close();
		}
		if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			fail("%s did not finish within %s; its output:%n%s", String.join(" ", command), PROCESS_TIMEOUT,
					Files.readString(output, StandardCharsets.ISO_8859_1));
		}
		return new Run(process.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1));
	}

	private static void assumeOnPath(String program) {
		boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter((directory) -> !directory.isEmpty())
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, program)));
		assumeTrue(found,
				() -> program + " is not on the PATH: install the Debian package redis-tools to run this test");
	}

	/** How a tool ended: its exit code and everything it printed. */
	private record Run(int exitCode, String output) {
	}

}
