package io.protoloop.readme;

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

	private final String version = System.getProperty("project.version");

	@Test
	void everyProtoloopDependencyIsAPublishedArtifactAtThisVersion() {
		Map<String, Boolean> artifacts = new LinkedHashMap<>();
		BuildModules.modules().forEach((module) -> artifacts.put(module.artifactId(), module.published()));
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

}
