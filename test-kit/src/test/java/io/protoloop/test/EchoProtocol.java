package io.protoloop.test;

import java.nio.ByteBuffer;

import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/** Echoes what it receives, and stops reading while its peer is too slow to take the echo. */
class EchoProtocol implements Protocol {

	Transport transport;

	Throwable lostWith;

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

	@Override
	public void connectionLost(Throwable exc) {
		this.lostWith = exc;
	}

}
