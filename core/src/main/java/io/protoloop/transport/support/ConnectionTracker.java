package io.protoloop.transport.support;

/** Told when a transport's connection ends; a server uses it to track its clients. Not API. */
@FunctionalInterface
public interface ConnectionTracker {

	/** A tracker for transports no server owns. */
	ConnectionTracker NONE = (transport) -> {
	};

	/** Called on the transport's loop thread after {@code connectionLost} ran and the channel was closed. */
	void connectionClosed(SelectorTransport transport);

}
