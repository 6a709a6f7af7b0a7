package io.protoloop.process.pipes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.protoloop.loop.EventLoop;
import io.protoloop.process.Signals;
import io.protoloop.process.Stdio;
import io.protoloop.process.SubprocessOptions;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.PendingWrites;

/**
 * The transport of a child process, after CPython's {@code BaseSubprocessTransport}: it owns a pipe transport
 * per {@link Stdio#PIPE} stream, each pumped by a thread of its own ({@link ReadPump}, {@link WritePump}) with
 * a {@link ChildPipeProtocol} that passes its events on, and learns of the child's exit from
 * {@link Process#onExit()}.
 *
 * <p>It ends once the child has exited and every pipe is lost: then {@code processExited}, then, in a later
 * callback, {@code connectionLost}. Waiting for the pipes means everything the child wrote has been delivered
 * when {@code processExited} runs; the return code is known as soon as the child exits. When the child exits,
 * its stdin pipe ends at once (its reader is gone), with a broken-pipe error if data was still waiting.
 */
public final class ProcessTransport extends AbstractTransport<SubprocessProtocol> implements SubprocessTransport {

	/** How long {@link #abort()} (the loop closing) waits for a killed child to exit. */
	private static final long EXIT_WAIT_SECONDS = 5;

	private final Process process;

	private final WritePipe stdin;

	private final ReadPipe stdout;

	private final ReadPipe stderr;

	private final List<AbstractTransport<?>> pipes = new ArrayList<>(3);

	/** Pipes whose {@code pipeConnectionLost} has not come yet. */
	private int openPipes;

	private Integer returncode;

	private boolean exitReported;

	private boolean closed;

	private ProcessTransport(EventLoop loop, SubprocessProtocol protocol, Process process, SubprocessOptions options,
			ConnectionTracker tracker, ConnectionTracker pipeTracker) {
		super(loop, protocol, PendingWrites.NONE, TransportSettings.DEFAULT, tracker, null, null);
		this.process = process;
		String name = "pid-" + process.pid() + "-";
		TransportSettings settings = options.settings();
		this.stdin = (options.stdin() != Stdio.PIPE) ? null : add(new WritePipe(loop, new ChildPipeProtocol(this, 0),
				new WritePump(loop, process.getOutputStream(), name + "stdin"), settings, pipeTracker));
		this.stdout = (options.stdout() != Stdio.PIPE) ? null : add(new ReadPipe(loop, new ChildPipeProtocol(this, 1),
				new ReadPump(loop, process.getInputStream(), name + "stdout"), settings, pipeTracker));
		this.stderr = (options.stderr() != Stdio.PIPE) ? null : add(new ReadPipe(loop, new ChildPipeProtocol(this, 2),
				new ReadPump(loop, process.getErrorStream(), name + "stderr"), settings, pipeTracker));
	}

	private <T extends AbstractTransport<?>> T add(T pipe) {
		this.pipes.add(pipe);
		this.openPipes++;
		return pipe;
	}

	/**
	 * Starts {@code command} as the options say and connects its pipes; see {@code EventLoop.subprocessExec}.
	 * Call on the loop thread.
	 * @param <P> the protocol's type
	 * @param loop the loop the process's transports run on
	 * @param factory makes the protocol
	 * @param command the program and its arguments
	 * @param options how to start it
	 * @param tracker told when the child's transport starts and ends
	 * @param pipeTracker told when each of its pipe transports starts and ends
	 * @return a future of the transport and its protocol, completed once they are connected
	 * @throws IOException if the child could not start
	 */
	public static <P extends SubprocessProtocol> CompletableFuture<TransportAndProtocol<SubprocessTransport, P>> spawn(
			EventLoop loop, Supplier<P> factory, List<String> command, SubprocessOptions options,
			ConnectionTracker tracker, ConnectionTracker pipeTracker) throws IOException {
		P protocol = factory.get();
		ProcessTransport transport = new ProcessTransport(loop, protocol, ProcessLauncher.start(command, options),
				options, tracker, pipeTracker);
		// The pipes first, so their transports are connected when the protocol's connectionMade sees them.
		transport.pipes.forEach((pipe) -> pipe.start(new CompletableFuture<>()));
		CompletableFuture<Void> made = new CompletableFuture<>();
		transport.start(made);
		return made.thenApply((ignored) -> new TransportAndProtocol<>(transport, protocol));
	}

	@Override
	protected void callConnectionMade(SubprocessProtocol protocol) {
		try {
			protocol.connectionMade(this);
		}
		finally {
			// Only now: the exit must not be reported before connectionMade.
			this.process.onExit().whenComplete((ignored, ex) -> {
				try {
					this.loop.callSoonThreadsafe(() -> exited(this.process.exitValue()));
				}
				catch (IllegalStateException closedLoop) {
					// The loop is gone: there is nobody left to tell.
				}
			});
		}
	}

	@Override
	public void setProtocol(SubprocessProtocol protocol) {
		attach(protocol);
	}

	/** The pipes read, not the process. */
	@Override
	protected boolean canRead() {
		return false;
	}

	@Override
	protected void readingChanged(boolean reading) {
	}

	@Override
	protected void stopIo() {
	}

	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		released.run();
	}

	// ---------------------------------------------------------------- the child

	@Override
	public long getPid() {
		return this.process.pid();
	}

	@Override
	public BaseTransport getPipeTransport(int fd) {
		return switch (fd) {
			case 0 -> this.stdin;
			case 1 -> this.stdout;
			case 2 -> this.stderr;
			default -> null;
		};
	}

	@Override
	public Integer getReturncode() {
		return this.returncode;
	}

	@Override
	public void kill() {
		sendSignal(Signals.SIGKILL);
	}

	@Override
	public void terminate() {
		sendSignal(Signals.SIGTERM);
	}

	@Override
	public void sendSignal(int signal) {
		if (this.returncode == null) {
			ProcessSignals.send(this.process, signal);
		}
	}

	// ---------------------------------------------------------------- closing

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.pipes.forEach(AbstractTransport::close);
		if (this.returncode == null && this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	/** Closing or closed: {@link #close()} was called, or the child and its pipes are done. */
	@Override
	public boolean isClosing() {
		return this.closed || super.isClosing();
	}

	/**
	 * Ends everything now, for a loop that closes: aborts the pipes, kills the child if it runs, and waits a few
	 * seconds for it to exit, so that {@code processExited} and {@code connectionLost} still come in the
	 * callbacks the closing loop runs. A child that does not die in time gets no {@code processExited}.
	 */
	@Override
	public void abort() {
		this.closed = true;
		this.pipes.forEach(AbstractTransport::abort);
		if (this.returncode == null) {
			this.process.destroyForcibly();
			try {
				if (this.process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
					exited(this.process.exitValue());
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			super.abort();
		}
	}

	// ---------------------------------------------------------------- events

	/** The child exited: its stdin pipe has no reader any more; the end comes once the other pipes are lost. */
	private void exited(int code) {
		if (this.returncode != null) {
			return;
		}
		this.returncode = code;
		if (this.stdin != null) {
			this.stdin.readerClosed();
		}
		maybeFinish();
	}

	void pipeDataReceived(int fd, ByteBuffer data) {
		try {
			getProtocol().pipeDataReceived(fd, data);
		}
		catch (Throwable ex) {
			callbackThrew(ex, "pipeDataReceived");
		}
	}

	void pipeConnectionLost(int fd, Throwable exc) {
		try {
			getProtocol().pipeConnectionLost(fd, exc);
		}
		catch (Throwable ex) {
			callbackThrew(ex, "pipeConnectionLost");
		}
		this.openPipes--;
		maybeFinish();
	}

	void pauseWriting() {
		try {
			getProtocol().pauseWriting();
		}
		catch (Throwable ex) {
			callbackThrew(ex, "pauseWriting");
		}
	}

	void resumeWriting() {
		try {
			getProtocol().resumeWriting();
		}
		catch (Throwable ex) {
			callbackThrew(ex, "resumeWriting");
		}
	}

	/** Once the child has exited and every pipe is lost: {@code processExited}, then {@code connectionLost}. */
	private void maybeFinish() {
		if (this.returncode == null || this.openPipes > 0 || this.exitReported) {
			return;
		}
		this.exitReported = true;
		try {
			getProtocol().processExited();
		}
		catch (Throwable ex) {
			callbackThrew(ex, "processExited");
		}
		super.close();
	}

	// ---------------------------------------------------------------- information

	/** Only {@code subprocess}: a child process has no addresses. */
	@Override
	public Object getExtraInfo(String name, Object defaultValue) {
		return ExtraInfo.SUBPROCESS.equals(name) ? this.process : defaultValue;
	}

	@Override
	public String toString() {
		return "ProcessTransport[pid=" + this.process.pid()
				+ ((this.returncode != null) ? ", returncode=" + this.returncode : ", running")
				+ (isClosing() ? ", closing" : "") + "]";
	}

}
