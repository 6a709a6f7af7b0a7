package io.protoloop.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

/**
 * The spec's "TCP Echo Client": sends a message, prints what comes back, and waits until the server closes
 * the connection.
 */
public final class TcpEchoClient {

	/** The protocol: sends the message on connect and completes a future when the connection is lost. */
	public static final class EchoClientProtocol implements Protocol {

		private final String message;

		private final CompletableFuture<Void> onConnectionLost;

		private final StringBuilder received = new StringBuilder();

		public EchoClientProtocol(String message, CompletableFuture<Void> onConnectionLost) {
			this.message = message;
			this.onConnectionLost = onConnectionLost;
		}

		@Override
		public void connectionMade(Transport transport) {
			transport.write(this.message.getBytes(StandardCharsets.UTF_8));
			System.out.println("Data sent: " + this.message);
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			String text = StandardCharsets.UTF_8.decode(data).toString();
			this.received.append(text);
			System.out.println("Data received: " + text);
		}

		@Override
		public void connectionLost(Throwable exc) {
			System.out.println("The server closed the connection");
			this.onConnectionLost.complete(null);
		}

		/** Returns everything received so far. */
		public String received() {
			return this.received.toString();
		}

	}

	private TcpEchoClient() {
	}

	/** Connects, sends {@code message}, waits for the server to close, and returns what it echoed. */
	public static String run(EventLoop loop, String host, int port, String message) throws Exception {
		CompletableFuture<Void> onConnectionLost = new CompletableFuture<>();
		TransportAndProtocol<Transport, EchoClientProtocol> connection = loop.runUntilComplete(
				loop.createConnection(() -> new EchoClientProtocol(message, onConnectionLost), host, port));
		try {
			loop.runUntilComplete(onConnectionLost);
		}
		finally {
			connection.transport().close();
		}
		return connection.protocol().received();
	}

	public static void main(String[] args) throws Exception {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 8888;
		EventLoop loop = new SelectorEventLoop("echo-client");
		try {
			run(loop, "127.0.0.1", port, "Hello World!");
		}
		finally {
			loop.close();
		}
	}

}
