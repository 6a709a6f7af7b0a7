package io.protoloop.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.protoloop.nio.SelectorEventLoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The asyncio oracle: every scenario runs twice, once as a Python asyncio program ({@code oracle/scenarios.py},
 * with the {@code python3} on the PATH; with uvloop too when it is installed) and once as its Java twin on
 * Protoloop's public API ({@code *Scenarios}); the two traces of protocol callbacks and observable results must be
 * equal once {@link TraceNormaliser} has brought them to one naming and one chunking. A scenario whose traces
 * differ on purpose is marked {@link Scenario#differs} and listed in docs/asyncio-differences.md: it is reported
 * as skipped, with the reason and both traces, instead of failing. Skipped as a whole, visibly, without python3.
 */
class AsyncioOracleTests {

	private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(30);

	private static Path scripts;

	private static String python;

	private static boolean uvloop;

	private static String skipReason = "python3 not found on the PATH: the asyncio oracle is skipped (install python3 to run it)";

	private static final Map<String, Map<String, List<String>>> pythonTraces = new ConcurrentHashMap<>();

	@BeforeAll
	static void findPython() throws IOException {
		python = PythonOracle.version();
		if (python != null && !PythonOracle.supported(python)) {
			skipReason = "python3 is " + python + ", older than 3.8: the asyncio oracle is skipped";
			python = null;
		}
		if (python != null) {
			uvloop = PythonOracle.hasUvloop();
			scripts = Files.createTempDirectory("protoloop-oracle");
			PythonOracle.copyScripts(scripts);
		}
		System.out.println("asyncio oracle: " + Scenarios.ALL.size() + " scenarios; "
				+ ((python != null) ? "CPython " + python + "; uvloop " + (uvloop ? "installed" : "not installed: skipped")
						: skipReason));
	}

	@AfterAll
	static void removeScripts() throws IOException {
		if (scripts != null) {
			try (Stream<Path> files = Files.list(scripts)) {
				for (Path file : files.toList()) {
					Files.deleteIfExists(file);
				}
			}
			Files.deleteIfExists(scripts);
		}
	}

	@TestFactory
	Stream<DynamicNode> oracle() {
		int total = Scenarios.ALL.size();
		List<DynamicNode> nodes = new ArrayList<>();
		nodes.add(DynamicTest.dynamicTest("[" + total + " scenarios] Python and Java define the same scenarios",
				this::sameScenarios));
		nodes.add(DynamicTest.dynamicTest("[" + total + " scenarios] every documented difference is in "
				+ "docs/asyncio-differences.md", AsyncioOracleTests::differencesDocumented));
		nodes.add(DynamicContainer.dynamicContainer("CPython asyncio (python3 " + ((python != null) ? python : "missing")
				+ ") vs Protoloop, " + total + " scenarios", scenarios("asyncio")));
		if (python != null && uvloop) {
			nodes.add(DynamicContainer.dynamicContainer("uvloop vs Protoloop, " + total + " scenarios",
					scenarios("uvloop")));
		}
		else {
			nodes.add(DynamicTest.dynamicTest("uvloop vs Protoloop, " + total + " scenarios",
					() -> Assumptions.abort("uvloop is not installed for python3: the uvloop run is skipped")));
		}
		return nodes.stream();
	}

	private Stream<DynamicTest> scenarios(String implementation) {
		int total = Scenarios.ALL.size();
		List<DynamicTest> tests = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			Scenario scenario = Scenarios.ALL.get(i);
			String suffix = implementation.equals("asyncio") ? "" : " (" + implementation + ")";
			String title = "[" + (i + 1) + "/" + total + "] " + scenario.name() + suffix;
			tests.add(DynamicTest.dynamicTest(title, () -> check(title, scenario, implementation)));
		}
		return tests.stream();
	}

	private static void assumePython() {
		Assumptions.assumeTrue(python != null, skipReason);
	}

	private void sameScenarios() {
		assumePython();
		List<String> java = Scenarios.ALL.stream().map(Scenario::name).toList();
		assertThat(java).as("scenario names in Scenarios.ALL vs oracle/scenarios.py --list")
			.containsExactlyElementsOf(PythonOracle.names(scripts));
	}

	static void differencesDocumented() throws IOException {
		String doc = Files.readString(differencesDoc(), StandardCharsets.UTF_8);
		for (Scenario scenario : Scenarios.ALL) {
			if (scenario.difference() != null) {
				assertThat(doc).as("docs/asyncio-differences.md lists " + scenario.name())
					.contains("`" + scenario.name() + "`");
			}
		}
	}

	/** docs/asyncio-differences.md, from the core module's directory (Maven) or the repository's. */
	static Path differencesDoc() {
		Path here = Paths.get("").toAbsolutePath();
		for (Path dir = here; dir != null; dir = dir.getParent()) {
			Path doc = dir.resolve("docs/asyncio-differences.md");
			if (Files.exists(doc)) {
				return doc;
			}
		}
		throw new UncheckedIOException(new IOException("docs/asyncio-differences.md not found above " + here));
	}

	private static void check(String title, Scenario scenario, String implementation) {
		assumePython();
		Map<String, List<String>> traces = pythonTraces.computeIfAbsent(implementation,
				(impl) -> PythonOracle.traces(scripts, impl));
		List<String> pythonTrace = traces.get(scenario.name());
		assertThat(pythonTrace).as(title + ": no Python trace").isNotNull();
		List<String> expected = TraceNormaliser.python(pythonTrace);
		List<String> actual = TraceNormaliser.java(assertTimeoutPreemptively(SCENARIO_TIMEOUT, () -> runJava(scenario)));
		String both = "\n--- CPython (" + implementation + "):\n" + String.join("\n", expected)
				+ "\n--- Protoloop:\n" + String.join("\n", actual);
		assertThat(expected.stream().anyMatch((line) -> line.startsWith("scenario_error")))
			.as(title + ": the Python scenario failed:" + both + "\n" + PythonOracle.read(scripts.resolve("stderr-" + implementation + ".txt")))
			.isFalse();
		if (!expected.equals(actual) && scenario.difference() != null) {
			Assumptions.abort(title + ": documented difference (docs/asyncio-differences.md): "
					+ scenario.difference() + both);
		}
		assertThat(actual).as(title + ": Protoloop's trace against CPython's:" + both)
			.containsExactlyElementsOf(expected);
	}

	/** Runs the Java twin on a fresh loop and returns its trace (what the loop's close causes is not traced). */
	static List<String> runJava(Scenario scenario) {
		Trace t = new Trace();
		SelectorEventLoop loop = new SelectorEventLoop("oracle-" + scenario.name());
		loop.setExceptionHandler(t::handler);
		try {
			scenario.program().run(loop, t);
		}
		catch (Exception ex) {
			t.add("scenarioError", ex);
			ex.printStackTrace();
		}
		finally {
			t.seal();
			if (!loop.isClosed() && !loop.isRunning()) {
				loop.close();
			}
		}
		return t.lines();
	}

}
