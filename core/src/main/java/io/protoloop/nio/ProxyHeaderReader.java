package io.protoloop.nio;

import java.nio.ByteBuffer;

import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.transport.Transport;

/**
 * The first protocol of a connection whose server expects a PROXY protocol header: it reads the header (at most
 * its specified length, so a peer cannot make it hold more), names the real client as the transport's peer,
 * then hands the connection to the protocol that serves it (the application's, or a TLS layer) with whatever
 * followed the header. A header that is missing where required, or malformed, ends the connection, counted as
 * a guard. The application never sees the header, and its {@code connectionMade} comes only after it.
 */
final class ProxyHeaderReader implements Protocol {

	private final ProxyProtocol mode;

	private final StreamProtocol next;

	private SocketTransport transport;

	/** The bytes received so far, in write mode; at most a whole header. */
	private ByteBuffer received = ByteBuffer.allocate(64);

	ProxyHeaderReader(ProxyProtocol mode, StreamProtocol next) {
		this.mode = mode;
		this.next = next;
	}

	@Override
	public void connectionMade(Transport transport) {
		this.transport = (SocketTransport) transport;
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		int room = 16 + ProxyHeader.V2_MAX_PAYLOAD - this.received.position();
		ByteBuffer taken = data.slice(data.position(), Math.min(room, data.remaining()));
		if (this.received.remaining() < taken.remaining()) {
			ByteBuffer bigger = ByteBuffer.allocate(Math.max(this.received.capacity() * 2,
					this.received.position() + taken.remaining()));
			this.received = bigger.put(this.received.flip());
		}
		this.received.put(taken);
		data.position(data.position() + taken.limit());
		ProxyHeader header = ProxyHeader.parse(this.received.duplicate().flip());
		switch (header.kind()) {
			case INCOMPLETE -> {
				if (room <= 0) {
					this.transport.proxyHeaderRejected("a PROXY protocol header longer than its specification allows");
				}
			}
			case INVALID -> this.transport.proxyHeaderRejected("a malformed PROXY protocol header: " + header.problem());
			case NONE -> {
				if (this.mode == ProxyProtocol.REQUIRED) {
					this.transport.proxyHeaderRejected("no PROXY protocol header, which the server requires");
				}
				else {
					handOff(header, data);
				}
			}
			case HEADER -> handOff(header, data);
		}
	}

	/** Gives the connection to the protocol that serves it, with the bytes after the header. */
	private void handOff(ProxyHeader header, ByteBuffer rest) {
		ByteBuffer after = this.received.flip().position(header.length());
		this.received = null;
		this.transport.handOver(this.next, header.client());
		if (after.hasRemaining()) {
			this.transport.deliver(after);
		}
		if (rest.hasRemaining() && !this.transport.isClosing()) {
			this.transport.deliver(rest);
		}
	}

	@Override
	public boolean eofReceived() {
		return false;
	}

}
