package io.protoloop.test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/**
 * Answers each UTF-8 line with {@code echo: <line>}, closes on {@code quit}, and on EOF says {@code bye}, closes
 * its write end and stays half-open.
 */
class LineProtocol implements Protocol {

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private Transport transport;

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		while (data.hasRemaining()) {
			byte b = data.get();
			if (b != '\n') {
				this.line.write(b);
				continue;
			}
			String text = this.line.toString(StandardCharsets.UTF_8);
			this.line.reset();
			if (text.equals("quit")) {
				this.transport.close();
				return;
			}
			this.transport.write(("echo: " + text + "\n").getBytes(StandardCharsets.UTF_8));
		}
	}

	@Override
	public boolean eofReceived() {
		this.transport.write("bye\n".getBytes(StandardCharsets.UTF_8));
		this.transport.writeEof();
		return true;
	}

}
