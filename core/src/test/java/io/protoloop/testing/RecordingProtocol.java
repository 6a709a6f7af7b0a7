package io.protoloop.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.protoloop.protocol.Protocol;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WritePipeTransport;

/**
 * A protocol that records its callbacks and the bytes it receives, and checks the spec's state machine
 * ({@code connectionMade [dataReceived]* [eofReceived]? connectionLost}) as they arrive. Tests read it from
 * their own thread through the bounded waits.
 */
public class RecordingProtocol implements Protocol {

	/** Completed with the transport by {@code connectionMade}. */
	public final CompletableFuture<Transport> made = new CompletableFuture<>();

	/** Completed with the pipe transport by {@code connectionMade} on either end of a pipe. */
	public final CompletableFuture<BaseTransport> pipeMade = new CompletableFuture<>();

	/** Completed with the cause (or {@code null}) by {@code connectionLost}. */
	public final CompletableFuture<Throwable> lost = new CompletableFuture<>();

	private final List<String> events = new ArrayList<>();

	private final List<String> violations = new ArrayList<>();

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private volatile boolean keepOpenOnEof;

	private Transport transport;

	/** Makes {@code eofReceived} return {@code true} (stay half-open). */
	public RecordingProtocol keepOpenOnEof() {
		this.keepOpenOnEof = true;
		return this;
	}

	public Transport transport() {
		return this.transport;
	}

	@Override
	public void connectionMade(Transport transport) {
		record("made", !this.events.isEmpty(), "connectionMade must come first and once");
		this.transport = transport;
		this.made.complete(transport);
	}

	@Override
	public void connectionMade(ReadPipeTransport transport) {
		record("made", !this.events.isEmpty(), "connectionMade must come first and once");
		this.pipeMade.complete(transport);
	}

	@Override
	public void connectionMade(WritePipeTransport transport) {
		record("made", !this.events.isEmpty(), "connectionMade must come first and once");
		this.pipeMade.complete(transport);
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		synchronized (this) {
			if (!data.hasRemaining()) {
				this.violations.add("dataReceived with no data");
			}
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.received.writeBytes(bytes);
		}
		record("data", !isOpen() || this.events.contains("eof"), "dataReceived outside made..eof");
	}

	@Override
	public boolean eofReceived() {
		record("eof", !isOpen() || this.events.contains("eof"), "eofReceived twice or outside the connection");
		return this.keepOpenOnEof;
	}

	@Override
	public void pauseWriting() {
		record("pause", !isOpen() || "pause".equals(lastFlowEvent()), "pauseWriting not paired");
	}

	@Override
	public void resumeWriting() {
		record("resume", !isOpen() || !"pause".equals(lastFlowEvent()), "resumeWriting without pauseWriting");
	}

	@Override
	public void connectionLost(Throwable exc) {
		record("lost", !isOpen(), "connectionLost twice or before connectionMade");
		this.lost.complete(exc);
	}

	private synchronized boolean isOpen() {
		return this.events.contains("made") && !this.events.contains("lost");
	}

	private synchronized String lastFlowEvent() {
		for (int i = this.events.size() - 1; i >= 0; i--) {
			String event = this.events.get(i);
			if (event.equals("pause") || event.equals("resume")) {
				return event;
			}
		}
		return null;
	}

	private synchronized void record(String event, boolean violated, String rule) {
		if (violated) {
			this.violations.add(rule + " (events so far: " + this.events + ")");
		}
		if (!event.equals("data") || !this.events.isEmpty() && !this.events.get(this.events.size() - 1).equals("data")) {
			this.events.add(event);
		}
		notifyAll();
	}

	/** Returns the callbacks seen so far; consecutive {@code dataReceived} calls are collapsed to one "data". */
	public synchronized List<String> events() {
		return List.copyOf(this.events);
	}

	/** Returns the state-machine rules broken so far: empty for a protocol treated by the spec's rules. */
	public synchronized List<String> violations() {
		return List.copyOf(this.violations);
	}

	/** Returns a copy of every byte received so far. */
	public synchronized byte[] received() {
		return this.received.toByteArray();
	}

	/** Waits until at least {@code count} bytes have arrived and returns them. */
	public byte[] awaitReceived(int count) throws InterruptedException {
		awaitState((p) -> p.received.size() >= count, count + " bytes received");
		return received();
	}

	/** Waits until {@code event} has been recorded. */
	public void awaitEvent(String event) throws InterruptedException {
		awaitState((p) -> p.events.contains(event), "event " + event);
	}

	private synchronized void awaitState(Predicate<RecordingProtocol> condition, String what)
			throws InterruptedException {
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (!condition.test(this)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("Timed out waiting for " + what + "; events " + this.events + ", "
						+ this.received.size() + " bytes");
			}
			wait(Math.max(1, left / 1_000_000));
		}
	}

}
