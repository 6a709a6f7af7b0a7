package io.protoloop.examples;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.udp.DatagramOptions;

/**
 * The spec's "UDP Echo Server": one protocol instance serves every client and sends each datagram back to its
 * sender. Run it with {@code main} (port 9999, or the first argument); try {@code nc -u 127.0.0.1 9999}.
 */
public final class UdpEchoServer {

	/** Echoes each datagram to its sender. */
	public static final class EchoServerProtocol implements DatagramProtocol {

		private DatagramTransport transport;

		@Override
		public void connectionMade(DatagramTransport transport) {
			this.transport = transport;
		}

		@Override
		public void datagramReceived(ByteBuffer data, SocketAddress addr) {
			String message = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
			System.out.println("Received " + message + " from " + addr);
			System.out.println("Send " + message + " to " + addr);
			this.transport.sendto(data, addr);
		}

	}

	private UdpEchoServer() {
	}

	/** Starts the endpoint on {@code loop}. */
	public static TransportAndProtocol<DatagramTransport, EchoServerProtocol> start(EventLoop loop, int port)
			throws Exception {
		return loop.runUntilComplete(loop.createDatagramEndpoint(EchoServerProtocol::new,
				DatagramOptions.builder().localAddress("127.0.0.1", port).build()));
	}

	public static void main(String[] args) throws Exception {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 9999;
		EventLoop loop = new SelectorEventLoop("udp-echo-server");
		System.out.println("Starting UDP server");
		var endpoint = start(loop, port);
		try {
			// Serve for 1 hour.
			loop.runUntilComplete(new java.util.concurrent.CompletableFuture<Void>()
				.completeOnTimeout(null, 1, java.util.concurrent.TimeUnit.HOURS));
		}
		finally {
			endpoint.transport().close();
			loop.close();
		}
	}

}
