package io.protoloop.transport;

import io.protoloop.protocol.StreamProtocol;

/**
 * The read end of a pipe (asyncio's {@code connect_read_pipe} and a child's stdout and stderr): a streaming
 * protocol receives what the other end writes, then {@code eofReceived} and {@code connectionLost(null)} when
 * it closes. A read pipe cannot stay half-open: whatever {@code eofReceived} returns, the transport closes, as in
 * asyncio.
 */
public interface ReadPipeTransport extends ReadTransport {

	@Override
	StreamProtocol getProtocol();

	/**
	 * Attaches another protocol; later callbacks go to it.
	 * @param protocol the protocol that gets the later callbacks
	 */
	void setProtocol(StreamProtocol protocol);

}
