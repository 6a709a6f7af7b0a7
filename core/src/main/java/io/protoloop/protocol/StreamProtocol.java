package io.protoloop.protocol;

import io.protoloop.transport.Transport;

/**
 * What the two streaming protocol kinds, {@link Protocol} and {@link BufferedProtocol}, share: they are
 * attached to a bidirectional {@link Transport} (TCP, Unix socket, TLS) and may see an end of stream.
 */
public interface StreamProtocol extends BaseProtocol {

	/**
	 * Called once when the connection is made. The protocol keeps the transport if it needs to write.
	 * @param transport the transport representing the connection
	 */
	default void connectionMade(Transport transport) {
	}

	/**
	 * Called at most once, when the peer signals it will send no more data (for example by half-closing
	 * its socket). No data callbacks follow.
	 * @return {@code false} to let the transport close itself (the default); {@code true} to keep it
	 * half-open, in which case the protocol closes it. Transports that cannot half-close (TLS) close anyway.
	 */
	default boolean eofReceived() {
		return false;
	}

}
