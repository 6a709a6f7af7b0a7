package io.protoloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which JVM runs each server: the runner's own, except for the native backend's servers
 * ({@link Report#nativeBackend}), which run on the JDK that {@code --native-jdk=PATH} or the environment variable
 * {@value #ENVIRONMENT} names (Java 22 or later, for the Foreign Function &amp; Memory API), with native access
 * enabled and {@code -D}{@value BenchLoops#TRANSPORT}{@code =epoll}.
 */
final class ServerJvm {

	/** The environment variable that names the JDK of the native backend's servers (also the build's profile). */
	static final String ENVIRONMENT = "PROTOLOOP_NATIVE_JDK";

	/** The JVM options the native backend's servers get on top of the others'. */
	static final List<String> NATIVE_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
			"-D" + BenchLoops.TRANSPORT + "=epoll");

	/** The runner's own JDK. */
	private final Path ownJdk;

	/** The JDK of the native backend's servers, or {@code null} when none is named. */
	private final Path nativeJdk;

	ServerJvm(Path ownJdk, Path nativeJdk) {
		this.ownJdk = ownJdk;
		this.nativeJdk = nativeJdk;
	}

	/**
	 * Returns the server JVMs of this runner: the native JDK is {@code option} ({@code --native-jdk}'s value) if
	 * not {@code null}, else {@value #ENVIRONMENT} in {@code environment}, if set and not blank.
	 */
	static ServerJvm of(String option, Map<String, String> environment) {
		String named = (option != null) ? option : environment.get(ENVIRONMENT);
		return new ServerJvm(Path.of(System.getProperty("java.home")),
				(named != null && !named.isBlank()) ? Path.of(named) : null);
	}

	/** Returns whether a JDK for the native backend's servers is named (it may still turn out unusable). */
	boolean hasNativeJdk() {
		return this.nativeJdk != null;
	}

	/** Returns the JDK that runs {@code server}. */
	Path home(String server) {
		return (Report.nativeBackend(server) && this.nativeJdk != null) ? this.nativeJdk : this.ownJdk;
	}

	/**
	 * Returns the start of the command that runs {@code server}: its {@code java}, then the JVM options of its
	 * backend (none for the runner's own JDK).
	 * @throws ServerProcess.Unavailable if it is a native backend server and no JDK with a {@code java} is named
	 */
	List<String> command(String server) throws ServerProcess.Unavailable {
		List<String> command = new ArrayList<>();
		Path java = home(server).resolve("bin").resolve("java");
		command.add(java.toString());
		if (Report.nativeBackend(server)) {
			if (this.nativeJdk == null) {
				throw new ServerProcess.Unavailable(server, "no JDK 22 or later is named (set " + ENVIRONMENT
						+ " or --native-jdk=PATH)");
			}
			if (!Files.isExecutable(java)) {
				throw new ServerProcess.Unavailable(server, "the native JDK " + this.nativeJdk + " has no " + java);
			}
			command.addAll(NATIVE_OPTIONS);
		}
		return command;
	}

	/**
	 * Returns the report header's lines that say which JDK ran which of {@code servers} (those that ran;
	 * redis-server is not a JVM), one line per JDK, with the native backend's own JVM options.
	 */
	String header(List<String> servers) {
		Map<Path, List<String>> byJdk = new LinkedHashMap<>();
		for (String server : servers) {
			if (!server.equals(Report.REDIS_SERVER)) {
				byJdk.computeIfAbsent(home(server), (home) -> new ArrayList<>()).add(server);
			}
		}
		StringBuilder lines = new StringBuilder();
		byJdk.forEach((home, names) -> lines.append(String.format(Locale.ROOT, "server JDK: %s: %s%s%n",
				describe(home), String.join(", ", names), names.stream().anyMatch(Report::nativeBackend)
						? " (with " + String.join(" ", NATIVE_OPTIONS) + ")" : "")));
		return lines.toString();
	}

	/**
	 * Describes the JDK at {@code home} for the report: its runtime version from its {@code release} file and
	 * the path, or the path alone where the file does not say.
	 */
	static String describe(Path home) {
		try {
			return Files.readAllLines(home.resolve("release")).stream()
				.filter((line) -> line.startsWith("JAVA_RUNTIME_VERSION="))
				.map((line) -> "Java " + line.substring(line.indexOf('=') + 1).replace("\"", "") + " (" + home + ")")
				.findFirst()
				.orElse(home.toString());
		}
		catch (IOException ex) {
			return home.toString();
		}
	}

}
