package io.protoloop.oracle;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;

/** Traces a datagram endpoint's callbacks and queues them for {@link #nextEvent()} (Python: an asyncio.Queue). */
class TracingDatagramProtocol implements DatagramProtocol {

	/** A datagram ({@code data} and {@code addr}) or an error ({@code error}). */
	record Event(byte[] data, SocketAddress addr, IOException error) {
	}

	final Trace t;

	final EventLoop loop;

	final CompletableFuture<Void> lost = new CompletableFuture<>();

	DatagramTransport transport;

	/** How many events were seen so far (Python: events.qsize() before the scenario takes them). */
	int seen;

	private final Queue<Event> events = new ArrayDeque<>();

	private CompletableFuture<Event> waiting;

	TracingDatagramProtocol(Trace t, EventLoop loop) {
		this.t = t;
		this.loop = loop;
	}

	@Override
	public void connectionMade(DatagramTransport transport) {
		this.transport = transport;
		this.t.add("connectionMade");
	}

	@Override
	public void datagramReceived(ByteBuffer data, SocketAddress addr) {
		this.t.add("datagramReceived", data);
		byte[] bytes = new byte[data.remaining()];
		data.duplicate().get(bytes);
		offer(new Event(bytes, addr, null));
		onDatagram(bytes, addr);
	}

	@Override
	public void errorReceived(IOException exc) {
		this.t.add("errorReceived", exc);
		offer(new Event(null, null, exc));
		onError(exc);
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.t.add("connectionLost", exc);
		this.lost.complete(null);
	}

	private void offer(Event event) {
		this.seen++;
		if (this.waiting != null) {
			CompletableFuture<Event> w = this.waiting;
			this.waiting = null;
			w.complete(event);
		}
		else {
			this.events.add(event);
		}
	}

	/** The next datagram or error, as a future completed on the loop. */
	CompletableFuture<Event> nextEvent() {
		Event event = this.events.poll();
		if (event != null) {
			return CompletableFuture.completedFuture(event);
		}
		this.waiting = new CompletableFuture<>();
		return this.waiting;
	}

	void onDatagram(byte[] data, SocketAddress addr) {
	}

	void onError(IOException exc) {
	}

}
