package io.protoloop.transport;

import io.protoloop.protocol.StreamProtocol;

/**
 * A bidirectional stream transport, such as a TCP or Unix-socket connection, attached to a
 * {@link io.protoloop.protocol.Protocol} or a {@link io.protoloop.protocol.BufferedProtocol}.
 */
public interface Transport extends ReadTransport, WriteTransport {

	@Override
	StreamProtocol getProtocol();

	/**
	 * Attaches another protocol; later callbacks go to it. Switch only between protocols documented to support
	 * the switch, such as a plain protocol handing over to TLS.
	 * @param protocol the protocol that gets the later callbacks
	 */
	void setProtocol(StreamProtocol protocol);

}
