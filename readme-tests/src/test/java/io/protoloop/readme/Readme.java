package io.protoloop.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * README.md as its fenced code blocks: each with its language, the README line its first line of code is on and
 * the heading of the section it is in, so a failing block is reported by its line in the README.
 */
final class Readme {

	/** The README of the build this module is part of; surefire passes its path. */
	static final Path PATH = Path.of(System.getProperty("readme.path", "../README.md"));

	private static List<Block> blocks;

	private Readme() {
	}

	/** A fenced block: {@code line} is the README line of its first line of code (1-based). */
	record Block(String language, int line, String section, String text) {

		/** Where a message about this block points: {@code README.md:<line>}. */
		String location() {
			return "README.md:" + this.line;
		}

		/** Where a message about line {@code lineInBlock} (1-based) of this block points. */
		String location(long lineInBlock) {
			return "README.md:" + (this.line + lineInBlock - 1);
		}

		@Override
		public String toString() {
			return "```" + this.language + " block at " + location() + " (section \"" + this.section + "\")";
		}

	}

	/** Every fenced block, in README order. */
	static synchronized List<Block> blocks() {
		if (blocks == null) {
			blocks = parse(read());
		}
		return blocks;
	}

	/** The blocks fenced as {@code language} (```java, ```yaml, ...). */
	static List<Block> blocks(String language) {
		return blocks().stream().filter((block) -> block.language().equals(language)).toList();
	}

	private static List<String> read() {
		try {
			return Files.readAllLines(PATH, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the README at " + PATH.toAbsolutePath(), ex);
		}
	}

	static List<Block> parse(List<String> lines) {
		List<Block> found = new ArrayList<>();
		String section = "";
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (line.startsWith("#")) {
				section = line.replaceFirst("^#+\\s*", "");
			}
			else if (line.startsWith("```")) {
				String language = line.substring(3).strip();
				int start = i + 1;
				int end = start;
				while (end < lines.size() && !lines.get(end).strip().equals("```")) {
					end++;
				}
				if (end == lines.size()) {
					throw new IllegalStateException("README.md:" + (i + 1) + ": a ``` fence is never closed");
				}
				found.add(new Block(language, start + 1, section, String.join("\n", lines.subList(start, end)) + "\n"));
				i = end;
			}
		}
		return found;
	}

}
