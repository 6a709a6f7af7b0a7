package io.protoloop.protocol;

import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WritePipeTransport;

/**
 * What the two streaming protocol kinds, {@link Protocol} and {@link BufferedProtocol}, share: they are
 * attached to a bidirectional {@link Transport} (TCP, Unix socket, TLS) or to one end of a pipe, and may see an
 * end of stream. Each kind of transport calls the {@code connectionMade} for its own type, so a protocol
 * implements the one it is made for.
 */
public interface StreamProtocol extends BaseProtocol {

	/**
	 * Called once when the connection is made. The protocol keeps the transport if it needs to write.
	 * @param transport the transport representing the connection
	 */
	default void connectionMade(Transport transport) {
	}

	/**
	 * Called once when the protocol is attached to the read end of a pipe ({@code connectReadPipe}).
	 * @param transport the pipe's transport, for pausing and closing
	 */
	default void connectionMade(ReadPipeTransport transport) {
	}

	/**
	 * Called once when the protocol is attached to the write end of a pipe ({@code connectWritePipe}).
	 * @param transport the pipe's transport, for writing
	 */
	default void connectionMade(WritePipeTransport transport) {
	}

	/**
	 * Called at most once, when the peer signals it will send no more data (for example by half-closing
	 * its socket). No data callbacks follow.
	 * @return {@code false} to let the transport close itself (the default); {@code true} to keep it
	 * half-open, in which case the protocol closes it. Transports that cannot half-close (TLS, the read end of
	 * a pipe) close anyway.
	 */
	default boolean eofReceived() {
		return false;
	}

}
