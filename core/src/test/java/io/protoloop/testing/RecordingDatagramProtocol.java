package io.protoloop.testing;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;

/** A datagram protocol that records what it receives and its callbacks, with bounded waits for tests. */
public class RecordingDatagramProtocol implements DatagramProtocol {

	/** A received datagram: a copy of its bytes and the sender. */
	public record Received(byte[] data, SocketAddress sender) {
	}

	public final CompletableFuture<DatagramTransport> made = new CompletableFuture<>();

	public final CompletableFuture<Throwable> lost = new CompletableFuture<>();

	private final BlockingQueue<Received> datagrams = new LinkedBlockingQueue<>();

	private final BlockingQueue<IOException> errors = new LinkedBlockingQueue<>();

	private final List<String> events = new ArrayList<>();

	private DatagramTransport transport;

	public DatagramTransport transport() {
		return this.transport;
	}

	@Override
	public void connectionMade(DatagramTransport transport) {
		this.transport = transport;
		record("made");
		this.made.complete(transport);
	}

	@Override
	public void datagramReceived(ByteBuffer data, SocketAddress addr) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.datagrams.add(new Received(bytes, addr));
	}

	@Override
	public void errorReceived(IOException exc) {
		this.errors.add(exc);
	}

	@Override
	public void pauseWriting() {
		record("pause");
	}

	@Override
	public void resumeWriting() {
		record("resume");
	}

	@Override
	public void connectionLost(Throwable exc) {
		record("lost");
		this.lost.complete(exc);
	}

	private synchronized void record(String event) {
		this.events.add(event);
	}

	/** Returns the callbacks other than datagrams and errors, in order. */
	public synchronized List<String> events() {
		return List.copyOf(this.events);
	}

	/** Waits for the next datagram. */
	public Received next() throws InterruptedException {
		Received received = this.datagrams.poll(RunningLoop.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		if (received == null) {
			throw new AssertionError("No datagram within " + RunningLoop.TIMEOUT);
		}
		return received;
	}

	/** Returns the datagrams received and not yet taken with {@link #next()}. */
	public List<Received> pending() {
		return List.copyOf(this.datagrams);
	}

	/** Waits for the next error. */
	public IOException nextError() throws InterruptedException {
		IOException error = this.errors.poll(RunningLoop.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		if (error == null) {
			throw new AssertionError("No errorReceived call within " + RunningLoop.TIMEOUT);
		}
		return error;
	}

	/** Returns the errors received and not yet taken with {@link #nextError()}. */
	public List<IOException> pendingErrors() {
		return List.copyOf(this.errors);
	}

}
