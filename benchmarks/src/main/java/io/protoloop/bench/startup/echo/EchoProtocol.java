package io.protoloop.bench.startup.echo;

import java.nio.ByteBuffer;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/** The start-up benchmark's endpoint: TCP echo, written back as it arrives. */
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
