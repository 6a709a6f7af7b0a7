package io.protoloop.demo;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

import io.protoloop.loop.EventLoopGroup;
import io.protoloop.protocol.Protocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

/**
 * The demo: a TCP echo server on port 7007 (or {@code --port=N}) that honours flow control: when the client
 * does not read and the write buffer passes its high watermark, it stops reading until the buffer drains.
 * Try it with {@code nc 127.0.0.1 7007}. Stop it with Ctrl-C.
 */
public final class DemoApplication {

	/** Echoes every byte; pauses reading while its writes are paused, and finishes its writes on peer EOF. */
	static final class EchoProtocol implements Protocol {

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

	private DemoApplication() {
	}

	public static void main(String[] args) throws Exception {
		int port = 7007;
		for (String arg : args) {
			if (arg.startsWith("--port=")) {
				port = Integer.parseInt(arg.substring("--port=".length()));
			}
		}
		EventLoopGroup group = new EventLoopGroup();
		Server server = group.createServer(EchoProtocol::new, ServerOptions.builder().port(port).build()).get();
		System.out.println("Protoloop echo server listening on " + server.addresses() + " with "
				+ group.loops().size() + " event loops; try: nc 127.0.0.1 " + port);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.close();
			group.close();
			stopped.countDown();
		}));
		stopped.await();
	}

}
