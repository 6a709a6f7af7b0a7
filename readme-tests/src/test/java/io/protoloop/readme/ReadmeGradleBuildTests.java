package io.protoloop.readme;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.util.FileSystemUtils;

import io.protoloop.readme.Readme.Block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's Gradle build of an application works: an application made of that {@code build.gradle.kts}, the
 * README's {@code EchoProtocol}, its {@code application.yml} and its {@code @ProtocolEndpointTest} builds and
 * passes its test with {@code gradle build}. Runs only where {@code gradle} is on the {@code PATH} and this
 * version's artifacts are in {@code ~/.m2} (Maven builds this repository; the README's Gradle reader installs
 * them first); skipped, saying which is missing, otherwise.
 */
@Timeout(value = 11, unit = TimeUnit.MINUTES)
class ReadmeGradleBuildTests {

	private static final String SECTION = "A Gradle build of an application";

	@Test
	void anApplicationBuiltWithTheReadmesGradleBuildPassesItsEndpointTest() throws Exception {
		Path gradle = onPath("gradle");
		assumeTrue(gradle != null, "gradle is not on the PATH: the README's Gradle build is not checked here");
		String version = System.getProperty("project.version");
		Path installed = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "protoloop",
				"protoloop-spring-boot-test", version);
		assumeTrue(Files.isDirectory(installed), "Protoloop " + version + " is not in ~/.m2 (" + installed
				+ "): run ./mvnw install -DskipTests for the README's Gradle build to find it");

		Path project = Path.of("target", "readme-gradle-consumer").toAbsolutePath();
		FileSystemUtils.deleteRecursively(project);
		write(project.resolve("settings.gradle.kts"), "rootProject.name = \"readme-consumer\"\n");
		write(project.resolve("build.gradle.kts"), block("kotlin", SECTION, "plugins {").text());
		Path main = project.resolve("src/main/java/com/example");
		write(main.resolve("ConsumerApplication.java"), """
				package com.example;

				@org.springframework.boot.autoconfigure.SpringBootApplication
				public class ConsumerApplication {
				}
				""");
		write(main.resolve("EchoProtocol.java"),
				"package com.example;\n" + block("java", "In a Spring Boot application", "class EchoProtocol").text());
		write(project.resolve("src/main/resources/application.yml"),
				block("yaml", "In a Spring Boot application", "protoloop:").text());
		write(project.resolve("src/test/java/com/example/EchoEndpointTests.java"), "package com.example;\n"
				+ block("java", "Testing endpoints over sockets: `@ProtocolEndpointTest`", "@ProtocolEndpointTest")
					.text());

		Path log = project.resolve("gradle-build.log");
		Process build = new ProcessBuilder(gradle.toString(), "--no-daemon", "--console=plain", "build")
			.directory(project.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!build.waitFor(10, TimeUnit.MINUTES)) {
			build.destroyForcibly();
			throw new AssertionError("gradle build did not finish within 10 minutes; see " + log);
		}
		assertThat(build.exitValue()).as("gradle build of the README's application (%s):%n%s", project,
				tail(log)).isZero();
		assertThat(project.resolve("build/test-results/test/TEST-com.example.EchoEndpointTests.xml")).exists();
	}

	private static Block block(String language, String section, String containing) {
		return Readme.blocks(language)
			.stream()
			.filter((block) -> block.section().equals(section) && block.text().contains(containing))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No ```" + language + " block with \"" + containing
					+ "\" in the README's section \"" + section + "\""));
	}

	private static Path onPath(String command) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(directory, command);
			if (!directory.isEmpty() && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private static void write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, text, StandardCharsets.UTF_8);
	}

	private static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

}
