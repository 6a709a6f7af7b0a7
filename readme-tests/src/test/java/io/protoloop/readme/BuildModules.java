package io.protoloop.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The modules of the build the README describes, read from its POMs (the README's directory is its root). */
final class BuildModules {

	private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

	/** A module's own artifactId: the first one after its parent (or the first one, for a POM without a parent). */
	private static final Pattern ARTIFACT_ID = Pattern.compile("(?:</parent>\\s*|</modelVersion>\\s*(?:<!--.*?-->\\s*)?<groupId>[^<]+</groupId>\\s*)<artifactId>([^<]+)</artifactId>", Pattern.DOTALL);

	private BuildModules() {
	}

	/** A module: its directory, its artifactId, whether it is deployed, and its POM. */
	record Module(String directory, String artifactId, boolean published, String pom) {
	}

	static Path root() {
		return Readme.PATH.toAbsolutePath().getParent();
	}

	static String pom(String directory) {
		try {
			return Files.readString(root().resolve(directory).resolve("pom.xml"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static List<Module> modules() {
		List<Module> modules = new ArrayList<>();
		Matcher module = MODULE.matcher(pom("."));
		while (module.find()) {
			String pom = pom(module.group(1));
			Matcher artifactId = ARTIFACT_ID.matcher(pom);
			if (!artifactId.find()) {
				throw new IllegalStateException("No artifactId in " + module.group(1) + "/pom.xml");
			}
			modules.add(new Module(module.group(1), artifactId.group(1),
					!pom.contains("<maven.deploy.skip>true</maven.deploy.skip>"), pom));
		}
		return modules;
	}

}
