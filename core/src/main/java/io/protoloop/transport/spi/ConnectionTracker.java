package io.protoloop.transport.spi;

/** Told when a transport's connection ends; a server uses it to track its clients. */
@FunctionalInterface
public interface ConnectionTracker {

	/** A tracker for transports no server owns. */
	ConnectionTracker NONE = (transport) -> {
	};

	/** Called on the transport's loop thread after {@code connectionLost} ran and its resources were released. */
	void connectionClosed(AbstractTransport<?> transport);

}
