package io.protoloop.examples;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.Protocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

/**
 * The spec's "Connecting Existing Sockets": wraps one end of a connected socket pair in a transport, sends
 * "abc" from the other end with {@code callSoon}, and waits until the protocol has received it and closed.
 * Java has no {@code socketpair()}, so the pair is made over loopback.
 */
public final class ExistingSockets {

	/** Prints what it receives, then closes its transport. */
	public static final class MyProtocol implements Protocol {

		private final CompletableFuture<String> onConnectionLost;

		private Transport transport;

		private String received = "";

		public MyProtocol(CompletableFuture<String> onConnectionLost) {
			this.onConnectionLost = onConnectionLost;
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			this.received = StandardCharsets.UTF_8.decode(data).toString();
			System.out.println("Received: " + this.received);
			// We are done: close the transport; connectionLost() will be called automatically.
			this.transport.close();
		}

		@Override
		public void connectionLost(Throwable exc) {
			this.onConnectionLost.complete(this.received);
		}

	}

	private ExistingSockets() {
	}

	/** Runs the example on {@code loop} and returns what the protocol received. */
	public static String run(EventLoop loop) throws Exception {
		SocketChannel[] pair = socketPair();
		SocketChannel rsock = pair[0];
		SocketChannel wsock = pair[1];
		try {
			CompletableFuture<String> onConnectionLost = new CompletableFuture<>();
			TransportAndProtocol<Transport, MyProtocol> connection = loop.runUntilComplete(
					loop.createConnection(() -> new MyProtocol(onConnectionLost), rsock,
							ConnectionOptions.DEFAULT));
			// Simulate the reception of data from the network.
			loop.callSoon(() -> {
				try {
					wsock.write(ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)));
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			});
			try {
				return loop.runUntilComplete(onConnectionLost);
			}
			finally {
				connection.transport().close();
			}
		}
		finally {
			wsock.close();
		}
	}

	/** Returns two connected loopback sockets. */
	static SocketChannel[] socketPair() throws java.io.IOException {
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress("127.0.0.1", 0));
			SocketChannel client = SocketChannel.open(listener.getLocalAddress());
			return new SocketChannel[] { listener.accept(), client };
		}
	}

	public static void main(String[] args) throws Exception {
		EventLoop loop = new SelectorEventLoop("existing-sockets");
		try {
			run(loop);
		}
		finally {
			loop.close();
		}
	}

}
