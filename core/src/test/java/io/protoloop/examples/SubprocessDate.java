package io.protoloop.examples;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.process.Stdio;
import io.protoloop.process.SubprocessOptions;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.TransportAndProtocol;

/**
 * The spec's "loop.subprocess_exec() and SubprocessProtocol": runs a Python one-liner that prints the date,
 * collects its standard output with {@code pipeDataReceived}, and waits for {@code processExited}. As in the
 * spec, only stdout is a pipe: stdin and stderr are the parent's ({@code stdin=None, stderr=None}). Protoloop
 * calls {@code processExited} after the last {@code pipeDataReceived}, so the output is complete by then.
 */
public final class SubprocessDate {

	/** Collects the child's output and completes a future when it exits. */
	public static final class DateProtocol implements SubprocessProtocol {

		private final CompletableFuture<Boolean> exitFuture;

		private final ByteArrayOutputStream output = new ByteArrayOutputStream();

		public DateProtocol(CompletableFuture<Boolean> exitFuture) {
			this.exitFuture = exitFuture;
		}

		@Override
		public void pipeDataReceived(int fd, ByteBuffer data) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.output.writeBytes(bytes);
		}

		@Override
		public void processExited() {
			this.exitFuture.complete(true);
		}

		/** Returns the output collected so far. */
		public String output() {
			return this.output.toString(StandardCharsets.US_ASCII);
		}

	}

	private SubprocessDate() {
	}

	/** Runs the child on {@code loop} and returns the date it printed. */
	public static String getDate(EventLoop loop) throws Exception {
		String code = "import datetime; print(datetime.datetime.now())";
		CompletableFuture<Boolean> exitFuture = new CompletableFuture<>();

		// Create the subprocess controlled by DateProtocol; redirect the standard output into a pipe.
		TransportAndProtocol<SubprocessTransport, DateProtocol> child = loop.runUntilComplete(
				loop.subprocessExec(() -> new DateProtocol(exitFuture), List.of("python3", "-c", code),
						SubprocessOptions.DEFAULT.withStdin(Stdio.INHERIT).withStderr(Stdio.INHERIT)));

		// Wait for the subprocess exit using the processExited() method of the protocol.
		loop.runUntilComplete(exitFuture);

		// Close the stdout pipe.
		child.transport().close();

		// Read the output which was collected by the pipeDataReceived() method of the protocol.
		return child.protocol().output().stripTrailing();
	}

	public static void main(String[] args) throws Exception {
		EventLoop loop = new SelectorEventLoop("subprocess-date");
		try {
			System.out.println("Current date: " + getDate(loop));
		}
		finally {
			loop.close();
		}
	}

}
