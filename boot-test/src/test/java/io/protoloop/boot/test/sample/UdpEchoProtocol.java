package io.protoloop.boot.test.sample;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;

/** Sends every datagram back to where it came from. */
@ProtocolEndpoint("echo-udp")
public class UdpEchoProtocol implements DatagramProtocol {

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
