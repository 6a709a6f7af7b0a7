package io.protoloop.architecture;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.protoloop.loop.EventLoop;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering of core, checked on its class files, and what the other modules may use of it, checked on their
 * sources (which exist whatever the build order). The API packages ({@link #API}) refer to each other as
 * asyncio's do (a transport has a loop, a loop creates transports) and to nothing below them; the
 * implementation packages depend on the API and on each other without cycles.
 */
class ArchitectureTests {

	/** The packages applications program against. */
	static final Set<String> API = Set.of("io.protoloop.loop", "io.protoloop.protocol", "io.protoloop.transport",
			"io.protoloop.tcp", "io.protoloop.udp", "io.protoloop.tls", "io.protoloop.metrics", "io.protoloop.process");

	/** Where each kind of transport is implemented: nothing in the API may depend on them. */
	static final Set<String> IMPLEMENTATION = Set.of("io.protoloop.nio", "io.protoloop.transport.spi",
			"io.protoloop.tls.layer", "io.protoloop.process.pipes");

	/** Past this many lines a core class must say in its javadoc why it is that long. */
	static final int LINES_NEEDING_A_REASON = 500;

	private static Map<String, Set<String>> graph;

	@BeforeAll
	static void readClassFiles() throws IOException, URISyntaxException {
		Path classes = Path.of(EventLoop.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		graph = ClassFilePackages.dependencies(classes, "io.protoloop");
	}

	@Test
	void everyCorePackageIsEitherApiOrImplementation() {
		assertThat(graph.keySet()).allMatch((name) -> API.contains(name) || IMPLEMENTATION.contains(name),
				"in ArchitectureTests.API or IMPLEMENTATION");
	}

	@Test
	void theApiDependsOnNoImplementationPackage() {
		for (String api : API) {
			assertThat(graph.getOrDefault(api, Set.of())).as("packages %s uses", api)
				.doesNotContainAnyElementsOf(IMPLEMENTATION);
		}
	}

	@Test
	void packageCyclesStayInsideTheApi() {
		for (Set<String> cycle : stronglyConnected(graph)) {
			if (cycle.size() > 1) {
				assertThat(API).as("a package cycle: %s", cycle).containsAll(cycle);
			}
		}
	}

	@Test
	void theCycleCheckSeesACycleThroughAnImplementationPackage() {
		Map<String, Set<String>> withCycle = new HashMap<>(graph);
		withCycle.put("io.protoloop.loop", union(graph.get("io.protoloop.loop"), "io.protoloop.nio"));
		assertThat(stronglyConnected(withCycle)).anySatisfy(
				(cycle) -> assertThat(cycle).contains("io.protoloop.loop", "io.protoloop.nio"));
		assertThat(graph.get("io.protoloop.nio")).as("nio uses the loop API").contains("io.protoloop.loop");
	}

	@Test
	void longCoreClassesSayWhyInTheirJavadoc() throws IOException {
		List<String> unexplained = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : (Iterable<Path>) sources.filter((p) -> p.toString().endsWith(".java"))::iterator) {
				List<String> lines = Files.readAllLines(source);
				if (lines.size() > LINES_NEEDING_A_REASON
						&& lines.stream().noneMatch((line) -> line.contains("Long because"))) {
					unexplained.add(source + " (" + lines.size() + " lines)");
				}
			}
		}
		assertThat(unexplained).as("classes over %d lines without 'Long because ...' in their javadoc",
				LINES_NEEDING_A_REASON).isEmpty();
	}

	@Test
	void otherModulesUseOnlyThePublicPackagesOfCore() throws IOException {
		Pattern reference = Pattern.compile("io\\.protoloop\\.((?:[a-z]+\\.)*[a-z]+)\\.[A-Z]");
		Set<String> allowed = new TreeSet<>(API);
		allowed.add("io.protoloop.nio");
		// Core's test-jar: the contract suite and the test helpers, for other modules' tests.
		allowed.add("io.protoloop.conformance");
		allowed.add("io.protoloop.testing");
		List<String> violations = new ArrayList<>();
		Path root = Path.of("..");
		for (String module : List.of("autoconfigure", "actuator", "boot-test", "starter", "demo-app", "benchmarks",
				"test-kit")) {
			Path sources = root.resolve(module).resolve("src");
			if (!Files.isDirectory(sources)) {
				continue;
			}
			try (Stream<Path> files = Files.walk(sources)) {
				for (Path file : (Iterable<Path>) files.filter((p) -> p.toString().endsWith(".java"))::iterator) {
					Matcher matcher = reference.matcher(Files.readString(file));
					while (matcher.find()) {
						String used = "io.protoloop." + matcher.group(1);
						boolean coreUse = !used.startsWith("io.protoloop.boot") && !used.startsWith("io.protoloop.demo")
								&& !used.startsWith("io.protoloop.bench") && !used.startsWith("io.protoloop.test");
						boolean spiByTheKit = used.equals("io.protoloop.transport.spi") && module.equals("test-kit");
						if (coreUse && !allowed.contains(used) && !spiByTheKit) {
							violations.add(module + ": " + root.relativize(file) + " uses " + used);
						}
					}
				}
			}
		}
		assertThat(violations).as("core packages other modules must not use (only test-kit implements transports)")
			.isEmpty();
	}

	private static Set<String> union(Set<String> set, String element) {
		Set<String> result = new TreeSet<>(set);
		result.add(element);
		return result;
	}

	/** Tarjan's algorithm: the strongly connected components of {@code edges}. */
	static List<Set<String>> stronglyConnected(Map<String, Set<String>> edges) {
		Map<String, Integer> index = new HashMap<>();
		Map<String, Integer> low = new HashMap<>();
		Deque<String> stack = new ArrayDeque<>();
		Set<String> onStack = new TreeSet<>();
		List<Set<String>> components = new ArrayList<>();
		for (String node : edges.keySet()) {
			if (!index.containsKey(node)) {
				visit(node, edges, index, low, stack, onStack, components);
			}
		}
		return components;
	}

	private static void visit(String node, Map<String, Set<String>> edges, Map<String, Integer> index,
			Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> components) {
		index.put(node, index.size());
		low.put(node, index.get(node));
		stack.push(node);
		onStack.add(node);
		for (String next : edges.getOrDefault(node, Set.of())) {
			if (!index.containsKey(next)) {
				visit(next, edges, index, low, stack, onStack, components);
				low.put(node, Math.min(low.get(node), low.get(next)));
			}
			else if (onStack.contains(next)) {
				low.put(node, Math.min(low.get(node), index.get(next)));
			}
		}
		if (low.get(node).equals(index.get(node))) {
			Set<String> component = new TreeSet<>();
			String member;
			do {
				member = stack.pop();
				onStack.remove(member);
				component.add(member);
			}
			while (!member.equals(node));
			components.add(component);
		}
	}

}
