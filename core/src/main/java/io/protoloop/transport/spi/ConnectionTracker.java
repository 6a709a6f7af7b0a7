package io.protoloop.transport.spi;

/**
 * Told when a transport's connection starts and ends; a server uses it to track its clients, a loop the
 * transports it must abort when it closes.
 */
@FunctionalInterface
public interface ConnectionTracker {

	/** A tracker for transports no server owns. */
	ConnectionTracker NONE = (transport) -> {
	};

	/**
	 * Called on the transport's loop thread when {@code start} is called, before {@code connectionMade}.
	 * @param transport the transport that is starting
	 */
	default void connectionStarted(AbstractTransport<?> transport) {
	}

	/**
	 * Called on the transport's loop thread once {@code connectionLost} has run (its resources may still be in
	 * use, by a lingering close: {@code whenClosed} tells when they are released).
	 * @param transport the transport whose connection has ended
	 */
	void connectionClosed(AbstractTransport<?> transport);

}
