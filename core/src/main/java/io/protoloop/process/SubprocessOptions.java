package io.protoloop.process;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import io.protoloop.transport.TransportSettings;

/**
 * Options of {@code subprocessExec} and {@code subprocessShell}, asyncio's keyword arguments.
 * @param stdin how the child's standard input is connected: {@link Stdio#PIPE}, {@link Stdio#INHERIT} or
 * {@link Stdio#DISCARD}
 * @param stdout how its standard output is connected: {@link Stdio#PIPE}, {@link Stdio#INHERIT} or
 * {@link Stdio#DISCARD}
 * @param stderr how its error output is connected: any {@link Stdio}, {@link Stdio#STDOUT} to join stdout
 * @param environment the child's whole environment, or {@code null} to inherit the parent's (asyncio's
 * {@code env=None})
 * @param directory the child's working directory, or {@code null} for the parent's (asyncio's {@code cwd=})
 * @param settings what the pipe transports are set up with: the stdin pipe's watermarks, the recorder, timeouts
 */
public record SubprocessOptions(Stdio stdin, Stdio stdout, Stdio stderr, Map<String, String> environment,
		Path directory, TransportSettings settings) {

	/** Every stream a pipe, as asyncio's defaults; the parent's environment and directory; default settings. */
	public static final SubprocessOptions DEFAULT = new SubprocessOptions(Stdio.PIPE, Stdio.PIPE, Stdio.PIPE, null,
			null, TransportSettings.DEFAULT);

	/**
	 * Validates the options and copies the environment.
	 * @param stdin how the child's standard input is connected: {@link Stdio#PIPE}, {@link Stdio#INHERIT} or
	 * {@link Stdio#DISCARD}
	 * @param stdout how its standard output is connected: {@link Stdio#PIPE}, {@link Stdio#INHERIT} or
	 * {@link Stdio#DISCARD}
	 * @param stderr how its error output is connected: any {@link Stdio}, {@link Stdio#STDOUT} to join stdout
	 * @param environment the child's whole environment, or {@code null} to inherit the parent's (asyncio's
	 * {@code env=None})
	 * @param directory the child's working directory, or {@code null} for the parent's (asyncio's {@code cwd=})
	 * @param settings what the pipe transports are set up with: the stdin pipe's watermarks, the recorder, timeouts
	 * @throws IllegalArgumentException if stdin or stdout is {@link Stdio#STDOUT}
	 */
	public SubprocessOptions {
		Objects.requireNonNull(stdin, "stdin");
		Objects.requireNonNull(stdout, "stdout");
		Objects.requireNonNull(stderr, "stderr");
		Objects.requireNonNull(settings, "settings");
		if (stdin == Stdio.STDOUT || stdout == Stdio.STDOUT) {
			throw new IllegalArgumentException("Stdio.STDOUT is for stderr only (stdin=" + stdin + ", stdout="
					+ stdout + ")");
		}
		environment = (environment != null) ? Map.copyOf(environment) : null;
	}

	/**
	 * {@return a copy whose child's standard input is connected as {@code stdin} says}
	 * @param stdin how the child's standard input is connected: {@link Stdio#PIPE}, {@link Stdio#INHERIT} or
	 * {@link Stdio#DISCARD}
	 */
	public SubprocessOptions withStdin(Stdio stdin) {
		return new SubprocessOptions(stdin, this.stdout, this.stderr, this.environment, this.directory, this.settings);
	}

	/**
	 * {@return a copy whose child's standard output is connected as {@code stdout} says}
	 * @param stdout how its standard output is connected: {@link Stdio#PIPE}, {@link Stdio#INHERIT} or
	 * {@link Stdio#DISCARD}
	 */
	public SubprocessOptions withStdout(Stdio stdout) {
		return new SubprocessOptions(this.stdin, stdout, this.stderr, this.environment, this.directory, this.settings);
	}

	/**
	 * {@return a copy whose child's error output is connected as {@code stderr} says}
	 * @param stderr how its error output is connected: any {@link Stdio}, {@link Stdio#STDOUT} to join stdout
	 */
	public SubprocessOptions withStderr(Stdio stderr) {
		return new SubprocessOptions(this.stdin, this.stdout, stderr, this.environment, this.directory, this.settings);
	}

	/**
	 * {@return a copy whose child gets exactly {@code environment} ({@code null} inherits the parent's)}
	 * @param environment the child's whole environment, or {@code null} to inherit the parent's (asyncio's
	 * {@code env=None})
	 */
	public SubprocessOptions withEnvironment(Map<String, String> environment) {
		return new SubprocessOptions(this.stdin, this.stdout, this.stderr, environment, this.directory, this.settings);
	}

	/**
	 * {@return a copy whose child starts in {@code directory} ({@code null} for the parent's)}
	 * @param directory the child's working directory, or {@code null} for the parent's (asyncio's {@code cwd=})
	 */
	public SubprocessOptions withDirectory(Path directory) {
		return new SubprocessOptions(this.stdin, this.stdout, this.stderr, this.environment, directory, this.settings);
	}

	/**
	 * {@return a copy whose pipe transports are set up with {@code settings}}
	 * @param settings what the pipe transports are set up with: the stdin pipe's watermarks, the recorder, timeouts
	 */
	public SubprocessOptions withSettings(TransportSettings settings) {
		return new SubprocessOptions(this.stdin, this.stdout, this.stderr, this.environment, this.directory, settings);
	}

}
