package io.protoloop.protocol;

import java.nio.ByteBuffer;

import io.protoloop.transport.SubprocessTransport;

/**
 * A protocol for a child process, created by {@code subprocessExec} and {@code subprocessShell}. Write flow
 * control ({@code pauseWriting}, {@code resumeWriting}) is that of the pipe to the child's stdin.
 *
 * <pre>
 * start -&gt; connectionMade
 *     [-&gt; pipeDataReceived(fd)]*      (for each fd: its data, then its pipeConnectionLost)
 *     [-&gt; pipeConnectionLost(fd)]*    (once per pipe)
 * -&gt; processExited -&gt; connectionLost -&gt; end
 * </pre>
 * {@code processExited} comes once the child has exited and every pipe has been lost, so everything the child
 * wrote has been received by then; {@code getReturncode()} is set as soon as the child exits. (asyncio may call
 * {@code process_exited} before the last {@code pipe_data_received}; see docs/asyncio-differences.md.)
 * A callback that throws is reported to the loop's exception handler and the transport goes on.
 */
public interface SubprocessProtocol extends BaseProtocol {

	/**
	 * Called once when the child has started and its pipes are connected.
	 * @param transport the child's transport
	 */
	default void connectionMade(SubprocessTransport transport) {
	}

	/**
	 * Called when the child wrote to its stdout (fd 1) or stderr (fd 2) pipe.
	 * <p><b>Ownership:</b> as with {@link Protocol#dataReceived}, the buffer is lent for the duration of the call.
	 * @param fd the child's file descriptor: 1 or 2
	 * @param data the bytes, never empty
	 */
	default void pipeDataReceived(int fd, ByteBuffer data) {
	}

	/**
	 * Called once per pipe when it closes: the child closed its end or exited (or the parent closed the pipe).
	 * @param fd the child's file descriptor: 0, 1 or 2
	 * @param exc {@code null} for a regular close; the error otherwise, such as the broken-pipe
	 * {@link java.io.IOException} of a write to a child that had closed its stdin
	 */
	default void pipeConnectionLost(int fd, Throwable exc) {
	}

	/** Called once when the child has exited (after every pipe was lost); {@code connectionLost} follows. */
	default void processExited() {
	}

}
