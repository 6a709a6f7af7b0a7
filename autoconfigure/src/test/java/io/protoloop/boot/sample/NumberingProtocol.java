package io.protoloop.boot.sample;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/** Greets each connection with its number from the injected {@link Counter}, then echoes. */
@ProtocolEndpoint("numbering")
public class NumberingProtocol implements Protocol {

	private final Counter counter;

	private Transport transport;

	public NumberingProtocol(Counter counter) {
		this.counter = counter;
	}

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
		transport.write(("connection " + this.counter.next() + "\n").getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		this.transport.write(data);
	}

}
