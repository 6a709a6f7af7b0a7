package io.protoloop.oracle;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WritePipeTransport;

/** Traces every callback; scenarios subclass it and override the {@code on*} hooks (Python: TracingProtocol). */
class TracingProtocol implements Protocol {

	final Trace t;

	final EventLoop loop;

	final CompletableFuture<Void> lost = new CompletableFuture<>();

	private final String prefix;

	Transport transport;

	boolean keepOpen;

	TracingProtocol(Trace t, EventLoop loop) {
		this(t, loop, null);
	}

	TracingProtocol(Trace t, EventLoop loop, String name) {
		this.t = t;
		this.loop = loop;
		this.prefix = (name != null) ? name + "." : "";
	}

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
		this.t.add(this.prefix + "connectionMade");
		onMade(transport);
	}

	@Override
	public void connectionMade(ReadPipeTransport transport) {
		this.t.add(this.prefix + "connectionMade");
		onMadePipe(transport);
	}

	@Override
	public void connectionMade(WritePipeTransport transport) {
		this.t.add(this.prefix + "connectionMade");
		onMadePipe(transport);
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		this.t.add(this.prefix + "dataReceived", data);
		onData(data);
	}

	@Override
	public boolean eofReceived() {
		this.t.add(this.prefix + "eofReceived");
		return onEof();
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.t.add(this.prefix + "connectionLost", exc);
		this.lost.complete(null);
		onLost(exc);
	}

	@Override
	public void pauseWriting() {
		this.t.add(this.prefix + "pauseWriting");
		onPause();
	}

	@Override
	public void resumeWriting() {
		this.t.add(this.prefix + "resumeWriting");
		onResume();
	}

	void onMade(Transport transport) {
	}

	void onMadePipe(BaseTransport transport) {
	}

	void onData(ByteBuffer data) {
	}

	boolean onEof() {
		return this.keepOpen;
	}

	void onLost(Throwable exc) {
	}

	void onPause() {
	}

	void onResume() {
	}

}
