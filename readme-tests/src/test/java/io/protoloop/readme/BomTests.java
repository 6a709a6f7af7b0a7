package io.protoloop.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.protoloop.readme.BuildModules.Module;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code protoloop-bom} manages every artifact the build publishes, at the build's version, and repeats the parent's
 * release metadata (it has no parent, so that importing it brings no Spring Boot versions along).
 */
class BomTests {

	private static final Pattern MANAGED = Pattern.compile(
			"<dependency>\\s*(?:<!--.*?-->\\s*)?<groupId>io\\.protoloop</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*"
					+ "<version>([^<]+)</version>(?:\\s*<type>([^<]+)</type>)?",
			Pattern.DOTALL);

	private final String bom = BuildModules.pom("bom");

	private final String parent = BuildModules.pom(".");

	@Test
	void theBomManagesEveryPublishedArtifactAndNothingElse() {
		List<String> published = BuildModules.modules()
			.stream()
			.filter(Module::published)
			.filter((module) -> !module.pom().contains("<packaging>pom</packaging>"))
			.map(Module::artifactId)
			.toList();
		assertThat(published).contains("protoloop-core", "protoloop-spring-boot-starter")
			.doesNotContain("protoloop-demo", "protoloop-benchmarks", "protoloop-readme-tests");
		List<String> managed = managed(this.bom);
		assertThat(managed.stream().filter((entry) -> !entry.contains(":")))
			.containsExactlyInAnyOrderElementsOf(published);
		assertThat(managed).contains("protoloop-core:test-jar");
	}

	@Test
	void theBomAndTheParentManageTheSameArtifactsAtTheBuildsVersion() {
		assertThat(managed(this.parent)).containsExactlyInAnyOrderElementsOf(managed(this.bom));
		for (String pom : List.of(this.bom, this.parent)) {
			Matcher entry = MANAGED.matcher(pom);
			while (entry.find()) {
				assertThat(entry.group(2)).as(entry.group(1) + "'s version").isEqualTo("${project.version}");
			}
		}
		assertThat(this.bom).contains("<version>" + System.getProperty("project.version") + "</version>")
			.doesNotContain("<parent>");
	}

	@Test
	void theBomCarriesTheParentsReleaseMetadata() {
		for (String element : List.of("url", "licenses", "developers", "scm")) {
			assertThat(element(this.bom, element)).as("<" + element + "> of the BOM")
				.isNotEmpty()
				.isEqualTo(element(this.parent, element));
		}
		assertThat(element(this.bom, "properties")).contains("<project.build.outputTimestamp>"
				+ element(this.parent, "project.build.outputTimestamp") + "</project.build.outputTimestamp>");
	}

	/** The io.protoloop artifacts a POM manages: {@code artifactId}, or {@code artifactId:type} for other types. */
	private static List<String> managed(String pom) {
		List<String> managed = new ArrayList<>();
		Matcher entry = MANAGED.matcher(pom);
		while (entry.find()) {
			managed.add(entry.group(1) + ((entry.group(3) != null) ? ":" + entry.group(3) : ""));
		}
		return managed;
	}

	/** The first {@code <name>} element's content, whitespace normalised. */
	private static String element(String pom, String name) {
		Matcher element = Pattern.compile("<" + Pattern.quote(name) + ">(.*?)</" + Pattern.quote(name) + ">",
				Pattern.DOTALL).matcher(pom);
		return element.find() ? element.group(1).replaceAll("\\s+", " ").strip() : "";
	}

}
