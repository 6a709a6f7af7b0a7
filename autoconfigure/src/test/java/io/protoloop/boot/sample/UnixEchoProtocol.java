package io.protoloop.boot.sample;

import java.nio.ByteBuffer;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/** Echoes over a Unix domain socket. */
@ProtocolEndpoint("local")
public class UnixEchoProtocol implements Protocol {

	private Transport transport;

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		this.transport.write(data);
	}

}
