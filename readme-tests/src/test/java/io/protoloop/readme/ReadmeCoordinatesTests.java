package io.protoloop.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.protoloop.readme.Readme.Block;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Maven and Gradle coordinates the README gives ({@code io.protoloop} dependencies in ```xml, ```kotlin,
 * ```groovy and ```gradle blocks) name artifacts this build publishes, at this build's version.
 */
class ReadmeCoordinatesTests {

	private static final Pattern MAVEN_DEPENDENCY = Pattern.compile(
			"<groupId>io\\.protoloop</groupId>\\s*<artifactId>([^<]+)</artifactId>(?:\\s*<version>([^<]+)</version>)?");

	private static final Pattern GRADLE_DEPENDENCY = Pattern.compile("[\"']io\\.protoloop:([^:\"']+)(?::([^:\"']+))?[\"']");

	private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

	private static final Pattern ARTIFACT_ID = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>");

	private final String version = System.getProperty("project.version");

	@Test
	void everyProtoloopDependencyIsAPublishedArtifactAtThisVersion() throws IOException {
		Map<String, Boolean> artifacts = artifacts(Readme.PATH.toAbsolutePath().getParent());
		List<String> problems = new ArrayList<>();
		int found = 0;
		for (Block block : Readme.blocks()) {
			Pattern pattern = switch (block.language()) {
				case "xml" -> MAVEN_DEPENDENCY;
				case "kotlin", "groovy", "gradle" -> GRADLE_DEPENDENCY;
				default -> null;
			};
			if (pattern == null) {
				continue;
			}
			Matcher dependency = pattern.matcher(block.text());
			while (dependency.find()) {
				found++;
				String where = block.location(block.text().substring(0, dependency.start()).lines().count());
				String artifact = dependency.group(1);
				if (!artifacts.containsKey(artifact)) {
					problems.add(where + ": io.protoloop:" + artifact + " is no module of this build " + artifacts.keySet());
				}
				else if (!artifacts.get(artifact)) {
					problems.add(where + ": io.protoloop:" + artifact + " is not published (maven.deploy.skip)");
				}
				if (dependency.group(2) != null && !dependency.group(2).equals(this.version)) {
					problems.add(where + ": io.protoloop:" + artifact + " at version " + dependency.group(2)
							+ ", but this build is " + this.version);
				}
			}
		}
		assertThat(found).as("io.protoloop dependencies in the README").isPositive();
		assertThat(problems).isEmpty();
	}

	/** The artifact id of every module of the build under {@code root}, and whether it is published. */
	private static Map<String, Boolean> artifacts(Path root) throws IOException {
		Map<String, Boolean> artifacts = new LinkedHashMap<>();
		Matcher module = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
		while (module.find()) {
			String pom = Files.readString(root.resolve(module.group(1)).resolve("pom.xml"));
			Matcher artifactId = ARTIFACT_ID.matcher(pom);
			assertThat(artifactId.find()).as("artifactId of module " + module.group(1)).isTrue();
			artifacts.put(artifactId.group(1), !pom.contains("<maven.deploy.skip>true</maven.deploy.skip>"));
		}
		return artifacts;
	}

}
