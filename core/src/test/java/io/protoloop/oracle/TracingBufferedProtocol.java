package io.protoloop.oracle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.transport.Transport;

/** Traces a BufferedProtocol's callbacks; getBuffer hands out a buffer of {@link #size} bytes. */
class TracingBufferedProtocol implements BufferedProtocol {

	final Trace t;

	final EventLoop loop;

	final CompletableFuture<Void> lost = new CompletableFuture<>();

	final ByteArrayOutputStream received = new ByteArrayOutputStream();

	Transport transport;

	int size = 64;

	private ByteBuffer buffer;

	TracingBufferedProtocol(Trace t, EventLoop loop) {
		this.t = t;
		this.loop = loop;
	}

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
		this.t.add("connectionMade");
	}

	@Override
	public ByteBuffer getBuffer(int sizeHint) {
		this.t.add("getBuffer", sizeHint);
		this.buffer = ByteBuffer.allocate(this.size);
		return this.buffer;
	}

	@Override
	public void bufferUpdated(int nbytes) {
		this.t.add("bufferUpdated", nbytes);
		this.received.write(this.buffer.array(), 0, nbytes);
		onUpdated(nbytes);
	}

	@Override
	public boolean eofReceived() {
		this.t.add("eofReceived");
		this.t.add("received", this.received.toByteArray());
		return onEof();
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.t.add("connectionLost", exc);
		this.lost.complete(null);
	}

	void onUpdated(int nbytes) {
	}

	boolean onEof() {
		return false;
	}

}
