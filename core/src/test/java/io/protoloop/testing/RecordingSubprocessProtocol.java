package io.protoloop.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.transport.SubprocessTransport;

/**
 * A subprocess protocol that records its callbacks and what each pipe delivered, and checks the order
 * Protoloop promises: {@code connectionMade}, each pipe's data before its {@code pipeConnectionLost},
 * {@code processExited} after every pipe was lost, {@code connectionLost} last. Tests read it from their own
 * thread through the bounded waits.
 */
public class RecordingSubprocessProtocol implements SubprocessProtocol {

	/** Completed with the transport by {@code connectionMade}. */
	public final CompletableFuture<SubprocessTransport> made = new CompletableFuture<>();

	/** Completed with the return code seen in {@code processExited}. */
	public final CompletableFuture<Integer> exited = new CompletableFuture<>();

	/** Completed with the cause (or {@code null}) by {@code connectionLost}. */
	public final CompletableFuture<Throwable> lost = new CompletableFuture<>();

	private final List<String> events = new ArrayList<>();

	private final List<String> violations = new ArrayList<>();

	private final ByteArrayOutputStream[] received = { null, new ByteArrayOutputStream(), new ByteArrayOutputStream() };

	private final Throwable[] pipeErrors = new Throwable[3];

	private SubprocessTransport transport;

	public SubprocessTransport transport() {
		return this.transport;
	}

	@Override
	public void connectionMade(SubprocessTransport transport) {
		this.transport = transport;
		record("made", !this.events.isEmpty(), "connectionMade must come first and once");
		this.made.complete(transport);
	}

	@Override
	public void pipeDataReceived(int fd, ByteBuffer data) {
		synchronized (this) {
			if (!data.hasRemaining()) {
				this.violations.add("pipeDataReceived with no data");
			}
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.received[fd].writeBytes(bytes);
		}
		record("data " + fd, !isOpen() || contains("pipeLost " + fd),
				"pipeDataReceived(" + fd + ") outside the connection or after its pipe was lost");
	}

	@Override
	public void pipeConnectionLost(int fd, Throwable exc) {
		synchronized (this) {
			this.pipeErrors[fd] = exc;
		}
		record("pipeLost " + fd, !isOpen() || contains("pipeLost " + fd) || contains("exited"),
				"pipeConnectionLost(" + fd + ") twice, or after processExited");
	}

	@Override
	public void processExited() {
		Integer code = this.transport.getReturncode();
		record("exited", !isOpen() || contains("exited") || code == null,
				"processExited twice, outside the connection or without a return code");
		this.exited.complete(code);
	}

	@Override
	public void pauseWriting() {
		record("pause", !isOpen(), "pauseWriting outside the connection");
	}

	@Override
	public void resumeWriting() {
		record("resume", !isOpen(), "resumeWriting outside the connection");
	}

	@Override
	public void connectionLost(Throwable exc) {
		record("lost", !isOpen() || !contains("exited"), "connectionLost twice, or before processExited");
		this.lost.complete(exc);
	}

	private synchronized boolean isOpen() {
		return contains("made") && !contains("lost");
	}

	private synchronized boolean contains(String event) {
		return this.events.contains(event);
	}

	private synchronized void record(String event, boolean violated, String rule) {
		if (violated) {
			this.violations.add(rule + " (events so far: " + this.events + ")");
		}
		String last = this.events.isEmpty() ? null : this.events.get(this.events.size() - 1);
		if (!event.startsWith("data") || !event.equals(last)) {
			this.events.add(event);
		}
		notifyAll();
	}

	/** Returns the callbacks seen so far; consecutive data of one pipe is collapsed to one "data fd". */
	public synchronized List<String> events() {
		return List.copyOf(this.events);
	}

	/** Returns the rules broken so far: empty when the transport kept its promises. */
	public synchronized List<String> violations() {
		return List.copyOf(this.violations);
	}

	/** Returns a copy of what the child wrote to {@code fd} (1 or 2) so far. */
	public synchronized byte[] received(int fd) {
		return this.received[fd].toByteArray();
	}

	/** Returns what {@code fd} was received as text. */
	public String text(int fd) {
		return new String(received(fd), java.nio.charset.StandardCharsets.UTF_8);
	}

	/** Returns the error {@code pipeConnectionLost(fd, exc)} received, or {@code null}. */
	public synchronized Throwable pipeError(int fd) {
		return this.pipeErrors[fd];
	}

	/** Waits until at least {@code count} bytes arrived on {@code fd}. */
	public byte[] awaitReceived(int fd, int count) throws InterruptedException {
		awaitState((p) -> p.received[fd].size() >= count, count + " bytes on fd " + fd);
		return received(fd);
	}

	/** Waits until {@code event} has been recorded. */
	public void awaitEvent(String event) throws InterruptedException {
		awaitState((p) -> p.events.contains(event), "event " + event);
	}

	private synchronized void awaitState(Predicate<RecordingSubprocessProtocol> condition, String what)
			throws InterruptedException {
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (!condition.test(this)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("Timed out waiting for " + what + "; events " + this.events);
			}
			wait(Math.max(1, left / 1_000_000));
		}
	}

}
