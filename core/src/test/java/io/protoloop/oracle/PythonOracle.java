package io.protoloop.oracle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code oracle/scenarios.py} with {@code python3}: all scenarios in one process (python3 starts slowly on
 * a busy machine; each scenario gets a fresh loop), with a hard timeout after which the process is killed.
 */
final class PythonOracle {

	static final String PYTHON = "python3";

	/** The hard limit for one run of every scenario; a run normally takes about a second. */
	private static final long RUN_TIMEOUT_SECONDS = 120;

	private static final List<String> FILES = List.of("oracle_kit.py", "scenarios.py");

	private PythonOracle() {
	}

	/** The version of python3 on the PATH ("3.11.7"), or null if there is none that runs. */
	static String version() {
		List<String> out = run(List.of(PYTHON, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"), null, 30);
		return (out != null && out.size() == 1 && out.get(0).matches("\\d+\\.\\d+\\.\\d+")) ? out.get(0) : null;
	}

	/** True if {@code version} ("major.minor.micro") is 3.8 or later, what the scripts need. */
	static boolean supported(String version) {
		String[] parts = version.split("\\.");
		int major = Integer.parseInt(parts[0]);
		int minor = Integer.parseInt(parts[1]);
		return major > 3 || (major == 3 && minor >= 8);
	}

	/** True if python3 can import uvloop. */
	static boolean hasUvloop() {
		List<String> out = run(List.of(PYTHON, "-c", "import uvloop; print('yes')"), null, 30);
		return out != null && out.equals(List.of("yes"));
	}

	/** Copies the scripts into {@code directory}. */
	static void copyScripts(Path directory) throws IOException {
		for (String file : FILES) {
			try (InputStream in = PythonOracle.class.getResourceAsStream("/oracle/" + file)) {
				if (in == null) {
					throw new IllegalStateException("Missing test resource oracle/" + file);
				}
				Files.copy(in, directory.resolve(file));
			}
		}
	}

	/** The scenario names the Python side defines, in order. */
	static List<String> names(Path directory) {
		List<String> out = run(List.of(PYTHON, "-u", "scenarios.py", "--list"), directory, 60);
		if (out == null) {
			throw new AssertionError("python3 scenarios.py --list failed");
		}
		return out;
	}

	/**
	 * Runs every scenario with the given implementation ("asyncio" or "uvloop") and returns each one's trace by
	 * name; a scenario whose trace did not end (the process died or was killed) maps to its partial trace with a
	 * last line saying so.
	 */
	static Map<String, List<String>> traces(Path directory, String implementation) {
		Path stderr = directory.resolve("stderr-" + implementation + ".txt");
		List<String> out = run(List.of(PYTHON, "-u", "scenarios.py", "--all", "--loop", implementation), directory,
				RUN_TIMEOUT_SECONDS, stderr);
		if (out == null) {
			throw new AssertionError("python3 scenarios.py --all did not finish within " + RUN_TIMEOUT_SECONDS
					+ "s and was killed; stderr: " + read(stderr));
		}
		Map<String, List<String>> traces = new LinkedHashMap<>();
		List<String> current = null;
		for (String line : out) {
			if (line.startsWith("=== ")) {
				current = new ArrayList<>();
				traces.put(line.substring(4), current);
			}
			else if (line.equals("END")) {
				current = null;
			}
			else if (current != null) {
				current.add(line);
			}
		}
		if (current != null) {
			current.add("(the Python run ended here; stderr: " + read(stderr) + ")");
		}
		return traces;
	}

	static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "(unreadable: " + ex + ")";
		}
	}

	private static List<String> run(List<String> command, Path directory, long timeoutSeconds) {
		return run(command, directory, timeoutSeconds, null);
	}

	/** Runs {@code command}; returns its stdout lines, or null if it could not start or did not end in time. */
	private static List<String> run(List<String> command, Path directory, long timeoutSeconds, Path stderr) {
		Process process = null;
		try {
			ProcessBuilder builder = new ProcessBuilder(command)
				.redirectError((stderr != null) ? ProcessBuilder.Redirect.to(stderr.toFile())
						: ProcessBuilder.Redirect.DISCARD)
				.redirectInput(ProcessBuilder.Redirect.PIPE);
			if (directory != null) {
				builder.directory(directory.toFile());
			}
			builder.environment().put("PYTHONUNBUFFERED", "1");
			builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
			Path stdout = Files.createTempFile("oracle-python", ".out");
			builder.redirectOutput(stdout.toFile());
			process = builder.start();
			process.getOutputStream().close();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				return null;
			}
			List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
			Files.deleteIfExists(stdout);
			return lines;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		finally {
			if (process != null && process.isAlive()) {
				process.destroyForcibly();
			}
		}
	}

}
