package io.protoloop.protocol;

import io.protoloop.transport.BaseTransport;

/**
 * A protocol that carries another protocol, as TLS does: it sits on the socket's transport and gives the
 * application protocol a transport of its own. Tools and graceful shutdown follow it to reach the application
 * ({@link io.protoloop.transport.TransportView#applicationTransport()}): a {@code ShutdownAware} application
 * protocol is told about a shutdown, and closing goes through the layer, which may need to say goodbye on the
 * wire first.
 */
public interface ProtocolLayer extends BaseProtocol {

	/**
	 * {@return the transport this layer gives the protocol above it, or {@code null} before there is one}
	 */
	BaseTransport upperTransport();

}
