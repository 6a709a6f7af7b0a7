package io.protoloop.transport;

import io.protoloop.protocol.BaseProtocol;

/**
 * The {@code (transport, protocol)} pair returned by the event loop's {@code create*} methods.
 * @param <T> the transport type
 * @param <P> the protocol type
 * @param transport the new transport
 * @param protocol the protocol the factory created for it
 */
public record TransportAndProtocol<T extends BaseTransport, P extends BaseProtocol>(T transport, P protocol) {
}
