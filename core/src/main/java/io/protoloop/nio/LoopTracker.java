package io.protoloop.nio;

import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * Keeps a transport that is not a selector transport of this package (a pipe, a child process) among the
 * loop's resources while it is open, so closing the loop aborts it too, as it aborts the sockets; and tells the
 * loop's {@link ProcessRegistry} through {@code counter}.
 */
final class LoopTracker implements ConnectionTracker, LoopResource {

	private final SelectorEventLoop loop;

	private final ConnectionTracker counter;

	private AbstractTransport<?> transport;

	/** @param counter the registry's tracker for this kind of transport */
	LoopTracker(SelectorEventLoop loop, ConnectionTracker counter) {
		this.loop = loop;
		this.counter = counter;
	}

	@Override
	public void connectionStarted(AbstractTransport<?> transport) {
		this.transport = transport;
		this.loop.track(this);
		this.counter.connectionStarted(transport);
	}

	@Override
	public void connectionClosed(AbstractTransport<?> transport) {
		this.loop.untrack(this);
		this.counter.connectionClosed(transport);
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
