package io.protoloop.boot.test.sample;

import java.nio.ByteBuffer;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/** Echoes every byte, over tcp; ends its stream when the client ends its own. */
@ProtocolEndpoint("echo")
public class EchoProtocol implements Protocol {

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
