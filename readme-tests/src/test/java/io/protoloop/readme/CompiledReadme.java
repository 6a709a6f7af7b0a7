package io.protoloop.readme;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.springframework.util.FileSystemUtils;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.readme.Readme.Block;

/**
 * Every ```java block of the README compiled together, as one project a reader pastes them into, against this
 * build's modules (the test classpath: the starter, the test kit, Spring Boot's test support), with
 * {@code -Xlint:all -Werror}.
 *
 * <p>A block that declares a top-level type (at column 0, after its imports) is compiled as it is, in a file named
 * after that type. Any other block is a fragment: it is wrapped in a template, a class with one method whose body is
 * the block's code (its imports stay on top), and line numbers still match the README. The README's blocks are all
 * complete today; the template is there so a short example can be added without ceremony.
 *
 * <p>Besides the README's code, two kinds of stand-ins are compiled, for what the README leaves to the reader:
 * {@code ClientProtocol} (named in the prose as "your own Protocol class") when a block uses it and none declares
 * it; and, for each endpoint a ```yaml block configures that no ```java block annotates with
 * {@code @ProtocolEndpoint}, a protocol class for it (a {@code DatagramProtocol} for {@code kind: udp}), so the
 * YAML can start an application.
 */
final class CompiledReadme {

	private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
			"^(?:(?:public|final|abstract|sealed|non-sealed|static)\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)",
			Pattern.MULTILINE);

	private static final Pattern ANNOTATED_ENDPOINT = Pattern.compile("@ProtocolEndpoint\\(\"([^\"]+)\"\\)");

	private static final List<String> OPTIONS = List.of("--release", "17", "-encoding", "UTF-8", "-proc:none",
			"-parameters", "-Xlint:all,-processing,-serial,-classfile", "-Werror");

	private static CompiledReadme instance;

	private static AssertionError failure;

	private final Map<String, Block> typeBlocks;

	private final URLClassLoader classLoader;

	private final Path output;

	private CompiledReadme(Map<String, Block> typeBlocks, URLClassLoader classLoader, Path output) {
		this.typeBlocks = typeBlocks;
		this.classLoader = classLoader;
		this.output = output;
	}

	/** The README compiled once per test JVM; fails with every javac message at its README line. */
	static synchronized CompiledReadme get() {
		if (failure != null) {
			throw failure;
		}
		if (instance == null) {
			try {
				instance = compile(Readme.blocks("java"), Readme.blocks("yaml"));
			}
			catch (AssertionError ex) {
				failure = ex;
				throw ex;
			}
		}
		return instance;
	}

	/** The class loader of the compiled README, a child of the test's. */
	ClassLoader classLoader() {
		return this.classLoader;
	}

	/** The first top-level type the README's blocks declare in {@code block}. */
	Class<?> typeOf(Block block) {
		String name = this.typeBlocks.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(block))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow(() -> new AssertionError(block + " declares no top-level type"));
		return load(name);
	}

	/** The README's top-level types (not the stand-ins), by name. */
	Map<String, Class<?>> readmeTypes() {
		Map<String, Class<?>> types = new LinkedHashMap<>();
		this.typeBlocks.keySet().forEach((name) -> types.put(name, load(name)));
		return types;
	}

	/** Every compiled class annotated {@code @ProtocolEndpoint}, README's and stand-ins, by endpoint name. */
	Map<String, Class<?>> endpointClasses() {
		try (Stream<Path> files = Files.walk(this.output)) {
			Map<String, Class<?>> endpoints = new LinkedHashMap<>();
			files.filter((file) -> file.toString().endsWith(".class"))
				.map((file) -> this.output.relativize(file).toString().replace(File.separatorChar, '.'))
				.map((file) -> load(file.substring(0, file.length() - ".class".length())))
				.forEach((type) -> {
					ProtocolEndpoint endpoint = type.getAnnotation(ProtocolEndpoint.class);
					if (endpoint != null) {
						endpoints.put(endpoint.value(), type);
					}
				});
			return endpoints;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Class<?> load(String name) {
		try {
			return Class.forName(name, true, this.classLoader);
		}
		catch (ClassNotFoundException ex) {
			throw new AssertionError("The compiled README has no class " + name, ex);
		}
	}

	private static CompiledReadme compile(List<Block> javaBlocks, List<Block> yamlBlocks) {
		List<Source> sources = new ArrayList<>();
		Map<String, Block> typeBlocks = new LinkedHashMap<>();
		for (Block block : javaBlocks) {
			Matcher type = TOP_LEVEL_TYPE.matcher(block.text());
			if (type.find()) {
				sources.add(new Source(type.group(1), block.text(), block));
				typeBlocks.put(type.group(1), block);
			}
			else {
				sources.add(new Source("ReadmeFragmentAtLine" + block.line(), wrapFragment(block), block));
			}
		}
		sources.addAll(standIns(javaBlocks, yamlBlocks, typeBlocks));
		// Under target/, so mvn clean removes it and a failed run leaves the classes to look at.
		Path output = Path.of("target", "readme-classes").toAbsolutePath();
		try {
			FileSystemUtils.deleteRecursively(output);
			Files.createDirectories(output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		List<String> options = new ArrayList<>(OPTIONS);
		options.addAll(List.of("-classpath", System.getProperty("java.class.path"), "-d", output.toString()));
		try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
			boolean compiled = javac.getTask(null, files, diagnostics, options, null, sources).call();
			if (!compiled || !diagnostics.getDiagnostics().isEmpty()) {
				throw new AssertionError("The README's ```java blocks do not compile cleanly against this build:\n"
						+ diagnostics.getDiagnostics()
							.stream()
							.map(CompiledReadme::describe)
							.collect(Collectors.joining("\n")));
			}
			return new CompiledReadme(typeBlocks,
					new URLClassLoader(new URL[] { output.toUri().toURL() }, CompiledReadme.class.getClassLoader()),
					output);
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Wraps a fragment in a class with one method, keeping its imports on top and every line where it was, so
	 * javac's line numbers are the README's.
	 */
	private static String wrapFragment(Block block) {
		List<String> lines = new ArrayList<>(block.text().lines().toList());
		int first = 0;
		while (first < lines.size() && (lines.get(first).isBlank() || lines.get(first).startsWith("import ")
				|| lines.get(first).startsWith("package "))) {
			first++;
		}
		if (first == lines.size()) {
			return block.text();
		}
		lines.set(first, "class ReadmeFragmentAtLine" + block.line() + " { void fragment() throws Exception { "
				+ lines.get(first));
		lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " } }");
		return String.join("\n", lines) + "\n";
	}

	/** What the README leaves to the reader; see the class description. */
	private static List<Source> standIns(List<Block> javaBlocks, List<Block> yamlBlocks,
			Map<String, Block> typeBlocks) {
		List<Source> standIns = new ArrayList<>();
		boolean clientProtocolUsed = javaBlocks.stream().anyMatch((block) -> block.text().contains("ClientProtocol"));
		if (clientProtocolUsed && !typeBlocks.containsKey("ClientProtocol")) {
			standIns.add(new Source("ClientProtocol", """
					/** Stands in for the reader's own client protocol, which the README names but does not show. */
					public class ClientProtocol implements io.protoloop.protocol.Protocol {
						@Override public void dataReceived(java.nio.ByteBuffer data) { }
					}
					""", null));
		}
		List<String> annotated = javaBlocks.stream()
			.flatMap((block) -> ANNOTATED_ENDPOINT.matcher(block.text()).results())
			.map((result) -> result.group(1))
			.toList();
		Map<String, String> endpoints = new LinkedHashMap<>();
		yamlBlocks.forEach((block) -> ReadmeYaml.endpoints(block).forEach(endpoints::putIfAbsent));
		int index = 0;
		for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
			if (annotated.contains(endpoint.getKey())) {
				continue;
			}
			String name = "ReadmeEndpointStandIn" + (index++);
			boolean udp = "udp".equalsIgnoreCase(endpoint.getValue());
			standIns.add(new Source(name, """
					/** Stands in for the protocol of endpoint '%s', which a README YAML block configures. */
					@io.protoloop.boot.ProtocolEndpoint("%s")
					public class %s implements %s {
						@Override public void %s { }
					}
					""".formatted(endpoint.getKey(), endpoint.getKey(), name,
					udp ? "io.protoloop.protocol.DatagramProtocol" : "io.protoloop.protocol.Protocol",
					udp ? "datagramReceived(java.nio.ByteBuffer data, java.net.SocketAddress address)"
							: "dataReceived(java.nio.ByteBuffer data)"),
					null));
		}
		return standIns;
	}

	private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
		String kind = diagnostic.getKind().toString().toLowerCase(Locale.ROOT);
		String message = diagnostic.getMessage(Locale.ROOT);
		if (diagnostic.getSource() instanceof Source source) {
			if (source.block == null) {
				return "  " + source.getName() + ":" + diagnostic.getLineNumber() + ": " + kind + ": " + message
						+ "\n    (a stand-in the test compiles for what the README leaves out)";
			}
			String line = source.text.lines()
				.skip(Math.max(0, diagnostic.getLineNumber() - 1))
				.findFirst()
				.orElse("");
			return "  " + source.block.location(diagnostic.getLineNumber()) + ": " + kind + ": " + message
					+ "\n    " + line.strip() + "\n    (in the " + source.block + ")";
		}
		return "  " + kind + ": " + message;
	}

	/** A source file in memory; {@code block} is {@code null} for a stand-in. */
	private static final class Source extends SimpleJavaFileObject {

		private final String text;

		private final Block block;

		Source(String typeName, String text, Block block) {
			super(URI.create("string:///" + typeName + Kind.SOURCE.extension), Kind.SOURCE);
			this.text = text;
			this.block = block;
		}

		@Override
		public CharSequence getCharContent(boolean ignoreEncodingErrors) {
			return this.text;
		}

	}

}
