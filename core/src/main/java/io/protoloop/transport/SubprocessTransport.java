package io.protoloop.transport;

import io.protoloop.protocol.SubprocessProtocol;

/**
 * The connection between the parent and a child process, created by {@code subprocessExec} and
 * {@code subprocessShell}: the child's pid, its return code once it has exited, signals, and the pipe
 * transports of its standard streams.
 *
 * <p>The protocol sees {@code connectionMade}, then {@code pipeDataReceived} for what the child writes, one
 * {@code pipeConnectionLost} per pipe, {@code processExited} once the child has exited and every pipe has closed,
 * and {@code connectionLost} last. {@code getExtraInfo("subprocess")} returns the {@link Process}.
 */
public interface SubprocessTransport extends BaseTransport {

	/**
	 * {@return the child's process id}
	 */
	long getPid();

	/**
	 * {@return the transport of the pipe to the child's standard stream {@code fd}} For 0 (stdin) a
	 * {@link WritePipeTransport}, for 1 (stdout) and 2 (stderr) a {@link ReadPipeTransport}; {@code null} if that
	 * stream is not a {@code Stdio.PIPE}, or for any other {@code fd}.
	 * @param fd 0, 1 or 2
	 */
	BaseTransport getPipeTransport(int fd);

	/**
	 * {@return {@code getPipeTransport(0)}, typed: the pipe to the child's stdin, or {@code null}}
	 */
	default WritePipeTransport stdinPipe() {
		return (WritePipeTransport) getPipeTransport(0);
	}

	/**
	 * {@return {@code getPipeTransport(1)}, typed: the pipe from the child's stdout, or {@code null}}
	 */
	default ReadPipeTransport stdoutPipe() {
		return (ReadPipeTransport) getPipeTransport(1);
	}

	/**
	 * {@return {@code getPipeTransport(2)}, typed: the pipe from the child's stderr, or {@code null}}
	 */
	default ReadPipeTransport stderrPipe() {
		return (ReadPipeTransport) getPipeTransport(2);
	}

	/**
	 * {@return the child's exit code, or {@code null} while it runs} A child killed by signal {@code n} has the code
	 * {@code 128 + n}, as Java reports it (asyncio reports {@code -n}).
	 */
	Integer getReturncode();

	/** Kills the child with {@code SIGKILL}; does nothing once it has exited. */
	void kill();

	/** Asks the child to stop with {@code SIGTERM}; does nothing once it has exited. */
	void terminate();

	/**
	 * Sends the POSIX signal {@code signal} to the child ({@link io.protoloop.process.Signals} names the common
	 * ones); does nothing once it has exited. {@code SIGTERM} and {@code SIGKILL} go through {@link Process}; Java
	 * has no call for the others, so they are sent by running {@code kill -<signal> <pid>}, which takes a few
	 * milliseconds of the loop thread.
	 * @param signal the signal's number, such as 15 for {@code SIGTERM}
	 * @throws IllegalArgumentException if {@code signal} is not between 0 and 64
	 * @throws java.io.UncheckedIOException if the signal could not be sent
	 */
	void sendSignal(int signal);

	/**
	 * Closes the pipes (stdin after flushing what was written to it) and kills the child with {@code SIGKILL} if
	 * it is still running; a child that has exited is left alone. {@code processExited} and
	 * {@code connectionLost} follow once it has exited. Idempotent.
	 */
	@Override
	void close();

	@Override
	SubprocessProtocol getProtocol();

	/**
	 * Attaches another protocol; later callbacks go to it.
	 * @param protocol the protocol that gets the later callbacks
	 */
	void setProtocol(SubprocessProtocol protocol);

}
