package io.protoloop.protocol;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.protoloop.transport.DatagramTransport;

/**
 * A datagram (UDP) protocol. One instance serves a whole endpoint, whoever the datagrams come from.
 *
 * <pre>
 * start -&gt; connectionMade
 *     [-&gt; datagramReceived | errorReceived]*
 * -&gt; connectionLost -&gt; end
 * </pre>
 */
public interface DatagramProtocol extends BaseProtocol {

	/**
	 * Called once when the endpoint is ready.
	 * @param transport the endpoint's transport, for {@code sendto}
	 */
	default void connectionMade(DatagramTransport transport) {
	}

	/**
	 * Called for each datagram received, including empty ones.
	 * <p><b>Ownership:</b> as with {@link Protocol#dataReceived}, the buffer is lent for the duration of the
	 * call (it is reused for the next datagram): copy what you keep. Passing it to {@code sendto} is fine.
	 * @param data the datagram's bytes, between position and limit (possibly none)
	 * @param addr the sender's address
	 */
	void datagramReceived(ByteBuffer data, SocketAddress addr);

	/**
	 * Called when a send or receive fails, for example with a {@link java.net.PortUnreachableException} when a
	 * connected endpoint's peer has no socket on its port. The endpoint keeps working.
	 * @param exc what failed
	 */
	default void errorReceived(IOException exc) {
	}

}
