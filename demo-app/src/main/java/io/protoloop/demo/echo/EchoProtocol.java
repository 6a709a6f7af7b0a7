package io.protoloop.demo.echo;

import java.nio.ByteBuffer;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/**
 * TCP echo that honours flow control: when the client stops reading and the write buffer passes its high
 * watermark, it stops reading until the buffer drains, so a client that never reads cannot make the server
 * buffer without bound. On the client's EOF it finishes its writes and closes (the default).
 */
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

	@Override
	public void pauseWriting() {
		this.transport.pauseReading();
	}

	@Override
	public void resumeWriting() {
		this.transport.resumeReading();
	}

}
