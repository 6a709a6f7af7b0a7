package io.protoloop.testing;

import java.nio.ByteBuffer;

import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/**
 * Echoes what it receives, and stops reading while its peer is too slow to take the echo (pauseReading at
 * pauseWriting, resumeReading at resumeWriting): the flow-controlled echo of the tests that need one.
 */
public class EchoProtocol implements Protocol {

	private volatile Transport transport;

	private volatile Throwable lostWith;

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

	/** {@return the transport {@code connectionMade} gave, or {@code null} before it} */
	public Transport transport() {
		return this.transport;
	}

	/** {@return what {@code connectionLost} was called with: {@code null} before it, or for a clean end} */
	public Throwable lostWith() {
		return this.lostWith;
	}

}
