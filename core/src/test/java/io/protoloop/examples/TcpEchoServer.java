package io.protoloop.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.Protocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

/**
 * The spec's "TCP Echo Server": sends back what it receives, then closes the connection. Run it with
 * {@code main} (port 8888, or the first argument) and talk to it with {@code nc 127.0.0.1 8888}.
 */
public final class TcpEchoServer {

	/** The protocol: one instance per connection. */
	public static final class EchoServerProtocol implements Protocol {

		private Transport transport;

		@Override
		public void connectionMade(Transport transport) {
			System.out.println("Connection from " + transport.getExtraInfo(ExtraInfo.PEERNAME));
			this.transport = transport;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			String message = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
			System.out.println("Data received: " + message);
			System.out.println("Send: " + message);
			this.transport.write(data);
			System.out.println("Close the client socket");
			this.transport.close();
		}

	}

	private TcpEchoServer() {
	}

	/** Starts the server on {@code loop}; the returned server reports the bound port. */
	public static Server start(EventLoop loop, int port) throws ExecutionException {
		ServerOptions options = ServerOptions.builder().hosts("127.0.0.1").port(port).build();
		return loop.runUntilComplete(loop.createServer(EchoServerProtocol::new, options));
	}

	public static void main(String[] args) throws Exception {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 8888;
		EventLoop loop = new SelectorEventLoop("echo-server");
		try (Server server = start(loop, port)) {
			System.out.println("Serving on " + server.addresses());
			loop.runUntilComplete(server.serveForever());
		}
		finally {
			loop.close();
		}
	}

}
