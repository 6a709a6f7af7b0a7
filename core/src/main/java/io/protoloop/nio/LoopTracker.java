package io.protoloop.nio;

import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * Keeps a transport that is not a selector transport of this package (a pipe, a child process) among the
 * loop's resources while it is open, so closing the loop aborts it too, as it aborts the sockets.
 */
final class LoopTracker implements ConnectionTracker, LoopResource {

	private final SelectorEventLoop loop;

	private AbstractTransport<?> transport;

	LoopTracker(SelectorEventLoop loop) {
		this.loop = loop;
	}

	@Override
	public void connectionStarted(AbstractTransport<?> transport) {
		this.transport = transport;
		this.loop.track(this);
	}

	@Override
	public void connectionClosed(AbstractTransport<?> transport) {
		this.loop.untrack(this);
	}

	@Override
	public void closeWithLoop() {
		this.transport.abort();
	}

	@Override
	public String toString() {
		return String.valueOf(this.transport);
	}

}
