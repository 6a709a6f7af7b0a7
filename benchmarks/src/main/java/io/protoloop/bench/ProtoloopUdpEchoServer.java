package io.protoloop.bench;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.protoloop.nio.EventLoopGroup;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.udp.DatagramOptions;

/**
 * The Protoloop UDP echo server: one event loop, one datagram endpoint on 127.0.0.1 with the default options,
 * and a protocol that sends each datagram back to its sender from the loop's borrowed read buffer.
 */
final class ProtoloopUdpEchoServer implements EchoServer {

	private final EventLoopGroup group;

	private final DatagramTransport transport;

	private ProtoloopUdpEchoServer(EventLoopGroup group, DatagramTransport transport) {
		this.group = group;
		this.transport = transport;
	}

	/** Starts the server on an ephemeral port of 127.0.0.1. */
	static ProtoloopUdpEchoServer start() throws Exception {
		EventLoopGroup group = BenchLoops.group();
		DatagramOptions options = DatagramOptions.builder().localAddress("127.0.0.1", 0).build();
		try {
			return new ProtoloopUdpEchoServer(group,
					group.next().createDatagramEndpoint(UdpEchoProtocol::new, options).get().transport());
		}
		catch (Exception ex) {
			group.close();
			throw ex;
		}
	}

	@Override
	public int port() {
		return ((InetSocketAddress) this.transport.getExtraInfo(ExtraInfo.SOCKNAME)).getPort();
	}

	@Override
	public long loopThreadId() throws Exception {
		return this.group.loops().get(0).submit(() -> Thread.currentThread().getId()).get();
	}

	/** A datagram endpoint has no connections. */
	@Override
	public int openConnections() {
		return 0;
	}

	/** Closes the loop, which aborts the endpoint. */
	@Override
	public void close() {
		this.group.close();
	}

	/** Sends every datagram back where it came from. */
	static final class UdpEchoProtocol implements DatagramProtocol {

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

}
