package io.protoloop.boot.sample;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;

/** Answers each datagram with its text in upper case. */
@ProtocolEndpoint("shout")
public class UpperCaseDatagramProtocol implements DatagramProtocol {

	private DatagramTransport transport;

	@Override
	public void connectionMade(DatagramTransport transport) {
		this.transport = transport;
	}

	@Override
	public void datagramReceived(ByteBuffer data, SocketAddress addr) {
		String text = StandardCharsets.UTF_8.decode(data).toString().toUpperCase();
		this.transport.sendto(text.getBytes(StandardCharsets.UTF_8), addr);
	}

}
