package io.protoloop.boot.autoconfigure;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.boot.ShutdownAware;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WriteBufferLimits;

/** Protocol beans for the auto-configuration tests. */
final class TestProtocols {

	private TestProtocols() {
	}

	/** A bean injected into protocols, to show they are created by the bean factory. */
	static final class Greeting {

		final String text;

		Greeting(String text) {
			this.text = text;
		}

	}

	/** Greets with the injected bean's text, then echoes; records every instance and its limits. */
	@ProtocolEndpoint("echo")
	static class EchoProtocol implements Protocol {

		static final List<EchoProtocol> instances = new CopyOnWriteArrayList<>();

		private final Greeting greeting;

		volatile WriteBufferLimits limits;

		Transport transport;

		EchoProtocol(Greeting greeting) {
			this.greeting = greeting;
			instances.add(this);
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
			this.limits = transport.getWriteBufferLimits();
			transport.write((this.greeting.text + "\n").getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			this.transport.write(data);
		}

	}

	/** On "big N", writes N bytes; says goodbye when the application shuts down. */
	@ProtocolEndpoint("bulk")
	static class BulkProtocol implements Protocol, ShutdownAware {

		/** Counted down when shutdown begins, so a test can start reading only then. */
		static volatile java.util.concurrent.CountDownLatch shutdownStarted = new java.util.concurrent.CountDownLatch(1);

		private Transport transport;

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			String command = StandardCharsets.UTF_8.decode(data).toString().trim();
			int size = Integer.parseInt(command.substring("big ".length()));
			byte[] payload = new byte[size];
			for (int i = 0; i < size; i++) {
				payload[i] = (byte) ('a' + i % 26);
			}
			this.transport.write(payload);
		}

		@Override
		public void shutdownStarted() {
			this.transport.write("BYE\n".getBytes(StandardCharsets.UTF_8));
			shutdownStarted.countDown();
		}

	}

	/** Echoes datagrams to their senders. */
	@ProtocolEndpoint("echo-udp")
	static class UdpEchoProtocol implements DatagramProtocol {

		private DatagramTransport transport;

		@Override
		public void connectionMade(DatagramTransport transport) {
			this.transport = transport;
		}

		@Override
		public void datagramReceived(ByteBuffer data, SocketAddress addr) {
			this.transport.sendto(data, addr);
		}

	}

	/** Annotated but not a protocol. */
	@ProtocolEndpoint("nothing")
	static class NotAProtocol {

	}

}
