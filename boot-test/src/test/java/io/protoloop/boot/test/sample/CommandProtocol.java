package io.protoloop.boot.test.sample;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/**
 * A line protocol with an injected dependency: greets, then answers {@code PARTIAL} with text and no line end,
 * {@code QUIET} with nothing, {@code BYE} with a goodbye and the end of the stream, anything else with an error.
 */
@ProtocolEndpoint("commands")
public class CommandProtocol implements Protocol {

	private final Greeting greeting;

	private final StringBuilder pending = new StringBuilder();

	private Transport transport;

	public CommandProtocol(Greeting greeting) {
		this.greeting = greeting;
	}

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
		send(this.greeting.text() + "\r\n");
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		this.pending.append(StandardCharsets.UTF_8.decode(data));
		int end;
		while ((end = this.pending.indexOf("\n")) >= 0 && !this.transport.isClosing()) {
			String command = this.pending.substring(0, end).trim();
			this.pending.delete(0, end + 1);
			switch (command) {
				case "PARTIAL" -> send("no line end");
				case "QUIET" -> {
				}
				case "BYE" -> {
					send("bye\r\n");
					this.transport.close();
				}
				default -> send("ERR unknown command '" + command + "'\r\n");
			}
		}
	}

	private void send(String text) {
		this.transport.write(text.getBytes(StandardCharsets.UTF_8));
	}

}
