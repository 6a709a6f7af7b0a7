package io.protoloop.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.protoloop.testing.RunningLoop;

/**
 * A {@code python3} script from {@code src/test/resources/python} running as a child process: its stdout is read
 * line by line on a daemon thread, its stderr goes to a file that failure messages quote. Every wait is bounded
 * by {@link RunningLoop#TIMEOUT}; {@link #close()} kills the process.
 */
final class PythonPeer implements AutoCloseable {

	private static final String PYTHON = "python3";

	private final String script;

	private final Process process;

	private final Path stderr;

	/** Lines of stdout; an empty optional marks its end. */
	private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

	private final List<String> seen = new ArrayList<>();

	private PythonPeer(String script, Process process, Path stderr) {
		this.script = script;
		this.process = process;
		this.stderr = stderr;
		Thread reader = new Thread(this::readStdout, "python-stdout-" + script);
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Returns the version of the {@code python3} on the PATH as "major.minor.micro", or {@code null} if there is
	 * none or it does not run.
	 */
	static String version() {
		try {
			Process process = new ProcessBuilder(PYTHON, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])")
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(RunningLoop.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return null;
			}
			String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
			return (process.exitValue() == 0 && version.matches("\\d+\\.\\d+\\.\\d+")) ? version : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** Returns {@code true} if {@code version} ("major.minor.micro") is 3.7 or later: asyncio.run() and friends. */
	static boolean supported(String version) {
		String[] parts = version.split("\\.");
		int major = Integer.parseInt(parts[0]);
		int minor = Integer.parseInt(parts[1]);
		return major > 3 || major == 3 && minor >= 7;
	}

	/** Copies the script {@code python/<script>} from the test classpath into {@code directory}. */
	static Path copyScript(String script, Path directory) throws IOException {
		Path target = directory.resolve(script);
		try (InputStream in = PythonPeer.class.getResourceAsStream("/python/" + script)) {
			if (in == null) {
				throw new IllegalStateException("Missing test resource python/" + script);
			}
			Files.copy(in, target);
		}
		return target;
	}

	/** Starts {@code python3 -u <script> <args>} with the script's directory as working directory. */
	static PythonPeer start(Path script, Object... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(PYTHON, "-u", script.toString()));
		for (Object arg : args) {
			command.add(String.valueOf(arg));
		}
		String name = script.getFileName().toString();
		Path stderr = script.resolveSibling(name + ".stderr");
		ProcessBuilder builder = new ProcessBuilder(command).directory(script.getParent().toFile())
			.redirectInput(ProcessBuilder.Redirect.PIPE)
			.redirectError(stderr.toFile());
		builder.environment().put("PYTHONUNBUFFERED", "1");
		Process process = builder.start();
		process.getOutputStream().close();
		return new PythonPeer(name, process, stderr);
	}

	private void readStdout() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(Optional.of(line));
			}
		}
		catch (IOException ex) {
			// The process was killed: the end of its output.
		}
		finally {
			this.lines.add(Optional.empty());
		}
	}

	/** Waits for the next line of stdout. */
	String nextLine() throws InterruptedException {
		Optional<String> line = this.lines.poll(RunningLoop.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		if (line == null) {
			throw new AssertionError("Timed out waiting for a line from " + describe());
		}
		if (line.isEmpty()) {
			this.lines.add(line); // keep the end marker for later calls
			throw new AssertionError("No more output from " + describe());
		}
		this.seen.add(line.get());
		return line.get();
	}

	/** Reads the first line of stdout: the port a Python server listens on. */
	int port() throws InterruptedException {
		String line = nextLine();
		try {
			return Integer.parseInt(line.strip());
		}
		catch (NumberFormatException ex) {
			throw new AssertionError("Expected a port as the first line of " + describe(), ex);
		}
	}

	/**
	 * Waits for the next {@code RESULT key=value ...} line and returns its fields in order; values contain no
	 * spaces.
	 */
	Map<String, String> result() throws InterruptedException {
		String line = nextLine();
		if (!line.startsWith("RESULT ")) {
			throw new AssertionError("Expected a RESULT line from " + describe());
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (String field : line.substring("RESULT ".length()).strip().split(" +")) {
			int equals = field.indexOf('=');
			if (equals <= 0) {
				throw new AssertionError("Malformed field '" + field + "' from " + describe());
			}
			fields.put(field.substring(0, equals), field.substring(equals + 1));
		}
		return fields;
	}

	/** Waits for the process to end and returns its exit code. */
	int awaitExit() throws InterruptedException {
		if (!this.process.waitFor(RunningLoop.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("Timed out waiting for the exit of " + describe());
		}
		return this.process.exitValue();
	}

	/** Names the script and quotes what it printed so far, for failure messages. */
	String describe() {
		String errors;
		try {
			errors = Files.exists(this.stderr) ? Files.readString(this.stderr, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			errors = "(unreadable: " + ex + ")";
		}
		return this.script + " (" + (this.process.isAlive() ? "running" : "exit code " + this.process.exitValue())
				+ "); stdout so far: " + this.seen + "; stderr: " + (errors.isBlank() ? "(empty)" : "\n" + errors);
	}

	/** Kills the process if it still runs and waits (bounded) for it to go. */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(RunningLoop.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
