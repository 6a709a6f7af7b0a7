package io.protoloop.oracle;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.transport.SubprocessTransport;

/**
 * Traces a child's callbacks: each pipe's data under {@code fd<N>.}, and {@code processExited} with
 * {@link ScenarioSupport#exitStatus} (Python: TracingSubprocessProtocol).
 */
class TracingSubprocessProtocol implements SubprocessProtocol {

	final Trace t;

	final EventLoop loop;

	final CompletableFuture<Void> lost = new CompletableFuture<>();

	SubprocessTransport transport;

	TracingSubprocessProtocol(Trace t, EventLoop loop) {
		this.t = t;
		this.loop = loop;
	}

	@Override
	public void connectionMade(SubprocessTransport transport) {
		this.transport = transport;
		this.t.add("connectionMade");
		onMade(transport);
	}

	@Override
	public void pipeDataReceived(int fd, ByteBuffer data) {
		this.t.add("fd" + fd + ".pipeDataReceived", data);
	}

	@Override
	public void pipeConnectionLost(int fd, Throwable exc) {
		this.t.add("pipeConnectionLost", fd, exc);
		onPipeLost(fd, exc);
	}

	@Override
	public void processExited() {
		this.t.add("processExited", ScenarioSupport.exitStatus(this.transport.getReturncode()));
		onExited();
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.t.add("connectionLost", exc);
		this.lost.complete(null);
	}

	void onMade(SubprocessTransport transport) {
	}

	void onPipeLost(int fd, Throwable exc) {
	}

	void onExited() {
	}

}
