package io.protoloop.nio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * A loop's live child-process and pipe transports: listed for a shutdown that must end the children, and
 * counted for other threads (the actuator's loop view), which cannot ask the loop thread without blocking on it.
 * A child counts from its start until its {@code connectionLost}; a pipe, a child's or one made by
 * {@code connectReadPipe}/{@code connectWritePipe}, until its own. Written on the loop thread only.
 */
final class ProcessRegistry {

	private final Set<SubprocessTransport> children = new LinkedHashSet<>();

	private volatile int childCount;

	private volatile int pipeCount;

	/** Tells this registry when a child process transport starts and ends. */
	final ConnectionTracker childTracker = new ConnectionTracker() {

		@Override
		public void connectionStarted(AbstractTransport<?> transport) {
			ProcessRegistry.this.children.add((SubprocessTransport) transport);
			ProcessRegistry.this.childCount = ProcessRegistry.this.children.size();
		}

		@Override
		public void connectionClosed(AbstractTransport<?> transport) {
			ProcessRegistry.this.children.remove((SubprocessTransport) transport);
			ProcessRegistry.this.childCount = ProcessRegistry.this.children.size();
		}

	};

	/** Tells this registry when a pipe transport starts and ends. */
	final ConnectionTracker pipeTracker = new ConnectionTracker() {

		@Override
		public void connectionStarted(AbstractTransport<?> transport) {
			ProcessRegistry.this.pipeCount++;
		}

		@Override
		public void connectionClosed(AbstractTransport<?> transport) {
			ProcessRegistry.this.pipeCount--;
		}

	};

	/** The child transports that have not ended, oldest first. Loop thread. */
	List<SubprocessTransport> children() {
		return new ArrayList<>(this.children);
	}

	/** How many child transports have not ended. Any thread. */
	int childCount() {
		return this.childCount;
	}

	/** How many pipe transports are open. Any thread. */
	int pipeCount() {
		return this.pipeCount;
	}

}
