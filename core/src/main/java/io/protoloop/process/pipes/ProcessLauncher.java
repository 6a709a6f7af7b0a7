package io.protoloop.process.pipes;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;
import java.util.Map;

import io.protoloop.process.Stdio;
import io.protoloop.process.SubprocessOptions;

/** Starts a child process as {@link SubprocessOptions} say, with {@link ProcessBuilder}. */
final class ProcessLauncher {

	/** What {@link Stdio#DISCARD} reads from ({@link Redirect#DISCARD} is for output only). */
	static final File NULL_FILE = new File("/dev/null");

	private ProcessLauncher() {
	}

	/**
	 * Starts {@code command}, blocking for as long as the operating system takes to spawn it.
	 * @throws IOException if the child could not start (no such program, say)
	 * @throws IllegalArgumentException if {@code command} is empty
	 */
	static Process start(List<String> command, SubprocessOptions options) throws IOException {
		if (command.isEmpty()) {
			throw new IllegalArgumentException("The command must name a program to run");
		}
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.redirectInput(switch (options.stdin()) {
			case PIPE -> Redirect.PIPE;
			case INHERIT -> Redirect.INHERIT;
			case DISCARD, STDOUT -> Redirect.from(NULL_FILE);
		});
		builder.redirectOutput(output(options.stdout()));
		if (options.stderr() == Stdio.STDOUT) {
			builder.redirectErrorStream(true);
		}
		else {
			builder.redirectError(output(options.stderr()));
		}
		if (options.environment() != null) {
			Map<String, String> environment = builder.environment();
			environment.clear();
			environment.putAll(options.environment());
		}
		if (options.directory() != null) {
			builder.directory(options.directory().toFile());
		}
		return builder.start();
	}

	private static Redirect output(Stdio stdio) {
		return switch (stdio) {
			case PIPE -> Redirect.PIPE;
			case INHERIT -> Redirect.INHERIT;
			case DISCARD, STDOUT -> Redirect.DISCARD;
		};
	}

}
