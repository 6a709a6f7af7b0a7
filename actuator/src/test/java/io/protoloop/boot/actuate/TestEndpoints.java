package io.protoloop.boot.actuate;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.Transport;

/** Protocols for the actuator tests. */
final class TestEndpoints {

	private TestEndpoints() {
	}

	/** Echoes; on a line "big N" writes N bytes instead, to fill the write buffer of a slow reader. */
	@ProtocolEndpoint("echo")
	static class EchoProtocol implements Protocol {

		private Transport transport;

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			String text = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
			if (text.startsWith("big ")) {
				this.transport.write(new byte[Integer.parseInt(text.substring(4).trim())]);
			}
			else {
				this.transport.write(data);
			}
		}

	}

	/** Echoes datagrams. */
	@ProtocolEndpoint("echo-udp")
	static class UdpEchoProtocol implements DatagramProtocol {

		private DatagramTransport transport;

		@Override
		public void connectionMade(DatagramTransport transport) {
			this.transport = transport;
		}

		@Override
		public void datagramReceived(ByteBuffer data, SocketAddress addr) {
			this.transport.sendto(data, addr);
		}

	}

}
