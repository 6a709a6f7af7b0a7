package io.protoloop.process.pipes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.concurrent.TimeUnit;

import io.protoloop.process.Signals;

/**
 * Sends a POSIX signal to a child. Java's {@link Process} sends only {@code SIGTERM} ({@code destroy()}) and
 * {@code SIGKILL} ({@code destroyForcibly()}), and only while the child is known to run, so the pid cannot
 * belong to another process yet; any other signal is sent by running {@code kill -<signal> <pid>}, after the
 * same check.
 */
final class ProcessSignals {

	/** Signal numbers go up to 64 on Linux (the real-time signals). */
	private static final int MAX_SIGNAL = 64;

	/** How long {@code kill} may take; it normally takes a few milliseconds. */
	private static final long KILL_TIMEOUT_SECONDS = 10;

	private ProcessSignals() {
	}

	/**
	 * Sends {@code signal} to {@code process}; does nothing if it has exited.
	 * @throws IllegalArgumentException if {@code signal} is not between 0 and 64
	 * @throws UncheckedIOException if {@code kill} could not run or failed
	 */
	static void send(Process process, int signal) {
		if (signal < 0 || signal > MAX_SIGNAL) {
			throw new IllegalArgumentException("Not a signal number: " + signal + " (0 to " + MAX_SIGNAL + ")");
		}
		if (!process.isAlive()) {
			return;
		}
		switch (signal) {
			case Signals.SIGTERM -> process.destroy();
			case Signals.SIGKILL -> process.destroyForcibly();
			default -> runKill(process, signal);
		}
	}

	private static void runKill(Process process, int signal) {
		long pid = process.pid();
		String command = "kill -" + signal + " " + pid;
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
				.redirectInput(Redirect.from(ProcessLauncher.NULL_FILE))
				.redirectOutput(Redirect.DISCARD)
				.redirectError(Redirect.DISCARD)
				.start();
			if (!kill.waitFor(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
				throw new IOException("'" + command + "' did not finish within " + KILL_TIMEOUT_SECONDS + "s");
			}
			// A child that exited meanwhile is no error, as Popen.send_signal() ignores it.
			if (kill.exitValue() != 0 && process.isAlive()) {
				throw new IOException("'" + command + "' failed with exit code " + kill.exitValue());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not send signal " + signal + " to process " + pid, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UncheckedIOException(new IOException("Interrupted while running '" + command + "'", ex));
		}
	}

}
