package io.protoloop.transport;

import io.protoloop.protocol.StreamProtocol;

/**
 * The write end of a pipe (asyncio's {@code connect_write_pipe} and a child's stdin), with the write flow control
 * of every transport. {@link #writeEof()} is {@link #close()}: closing the pipe is how its reader sees the end.
 * When the reader has closed its end, the next write fails and the protocol's {@code connectionLost} receives
 * the broken-pipe {@link java.io.IOException}; later writes are ignored.
 */
public interface WritePipeTransport extends WriteTransport {

	@Override
	StreamProtocol getProtocol();

	/**
	 * Attaches another protocol; later callbacks go to it.
	 * @param protocol the protocol that gets the later callbacks
	 */
	void setProtocol(StreamProtocol protocol);

}
