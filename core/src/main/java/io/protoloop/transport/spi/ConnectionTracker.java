package io.protoloop.transport.spi;

/** Told when a transport's connection ends; a server uses it to track its clients. */
@FunctionalInterface
public interface ConnectionTracker {

	/** A tracker for transports no server owns. */
	ConnectionTracker NONE = (transport) -> {
	};

	/**
	 * Called on the transport's loop thread once {@code connectionLost} has run (its resources may still be in
	 * use, by a lingering close: {@code whenClosed} tells when they are released).
	 */
	void connectionClosed(AbstractTransport<?> transport);

}
