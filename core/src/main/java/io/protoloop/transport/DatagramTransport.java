package io.protoloop.transport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.protoloop.protocol.DatagramProtocol;

/**
 * A datagram (UDP) endpoint. Sending never blocks: a datagram the socket cannot take at once is queued, and the
 * queue counts toward the write buffer watermarks like a stream transport's buffer (each queued datagram also
 * counts an 8-byte header, so empty datagrams cannot queue without bound). Reading can be paused under load.
 */
public interface DatagramTransport extends ReadTransport, WriteBufferControl {

	/**
	 * Sends a datagram to the endpoint's remote address.
	 * @param data the bytes between position and limit; the buffer may be reused on return
	 * @throws IllegalArgumentException if the endpoint was created without a remote address
	 */
	void sendto(ByteBuffer data);

	/**
	 * Sends a datagram to {@code addr}. An empty datagram is sent by an unconnected endpoint; a connected one cannot
	 * send it (the JDK skips zero-length sends on connected sockets) and reports that to {@code errorReceived}
	 * instead.
	 * @param data the bytes between position and limit; the buffer may be reused on return
	 * @param addr the destination; for a connected endpoint it must be {@code null} or its remote address
	 * @throws IllegalArgumentException if {@code addr} differs from a connected endpoint's remote address, or if
	 * an unconnected endpoint gets no address
	 */
	void sendto(ByteBuffer data, SocketAddress addr);

	/**
	 * Sends {@code data} to {@code addr} (or the remote address when {@code null}); see
	 * {@link #sendto(ByteBuffer, SocketAddress)}.
	 * @param data the bytes between position and limit; the buffer may be reused on return
	 * @param addr the destination; for a connected endpoint it must be {@code null} or its remote address
	 */
	default void sendto(byte[] data, SocketAddress addr) {
		sendto(ByteBuffer.wrap(data), addr);
	}

	/**
	 * Closes the endpoint at once: queued datagrams are dropped. The protocol's {@code connectionLost(null)} is
	 * called soon after. Idempotent.
	 */
	void abort();

	@Override
	DatagramProtocol getProtocol();

	/**
	 * Attaches another protocol; later callbacks go to it.
	 * @param protocol the protocol that gets the later callbacks
	 */
	void setProtocol(DatagramProtocol protocol);

}
