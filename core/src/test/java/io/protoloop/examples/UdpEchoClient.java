package io.protoloop.examples;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.udp.DatagramOptions;

/** The spec's "UDP Echo Client": sends a message and closes when the answer comes back. */
public final class UdpEchoClient {

	/** Sends on connect, records the answer, closes. */
	public static final class EchoClientProtocol implements DatagramProtocol {

		private final String message;

		private final CompletableFuture<String> onConnectionLost;

		private DatagramTransport transport;

		private String answer;

		public EchoClientProtocol(String message, CompletableFuture<String> onConnectionLost) {
			this.message = message;
			this.onConnectionLost = onConnectionLost;
		}

		@Override
		public void connectionMade(DatagramTransport transport) {
			this.transport = transport;
			System.out.println("Send: " + this.message);
			transport.sendto(ByteBuffer.wrap(this.message.getBytes(StandardCharsets.UTF_8)));
		}

		@Override
		public void datagramReceived(ByteBuffer data, SocketAddress addr) {
			this.answer = StandardCharsets.UTF_8.decode(data).toString();
			System.out.println("Received: " + this.answer);
			System.out.println("Close the socket");
			this.transport.close();
		}

		@Override
		public void errorReceived(IOException exc) {
			System.out.println("Error received: " + exc);
		}

		@Override
		public void connectionLost(Throwable exc) {
			System.out.println("Connection closed");
			this.onConnectionLost.complete(this.answer);
		}

	}

	private UdpEchoClient() {
	}

	/** Sends {@code message} to {@code host:port} and returns the answer. */
	public static String run(EventLoop loop, String host, int port, String message) throws Exception {
		CompletableFuture<String> onConnectionLost = new CompletableFuture<>();
		var endpoint = loop.runUntilComplete(loop.createDatagramEndpoint(
				() -> new EchoClientProtocol(message, onConnectionLost),
				DatagramOptions.builder().remoteAddress(host, port).build()));
		try {
			return loop.runUntilComplete(onConnectionLost);
		}
		finally {
			endpoint.transport().close();
		}
	}

	public static void main(String[] args) throws Exception {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 9999;
		EventLoop loop = new SelectorEventLoop("udp-echo-client");
		try {
			run(loop, "127.0.0.1", port, "Hello World!");
		}
		finally {
			loop.close();
		}
	}

}
