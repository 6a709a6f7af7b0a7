package io.protoloop.nio;

import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.function.Supplier;

import io.protoloop.tcp.ServerOptions;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

import static io.protoloop.testing.RunningLoop.await;

/** The stream transport contract over TCP on loopback. */
class TcpTransportTests extends SocketStreamContract {

	@Override
	protected Server startServer(Supplier<? extends StreamProtocol> factory) throws Exception {
		return await(this.loop.createServer(factory, ServerOptions.builder().hosts("127.0.0.1").build()));
	}

	@Override
	protected <P extends StreamProtocol> TransportAndProtocol<Transport, P> connect(Server server, Supplier<P> factory)
			throws Exception {
		int port = ((java.net.InetSocketAddress) server.addresses().get(0)).getPort();
		return await(this.loop.createConnection(factory, "127.0.0.1", port));
	}

	@Override
	protected void resetByPeer(Transport peer) throws Exception {
		this.running.run(() -> {
			NetworkChannel socket = (NetworkChannel) peer.getExtraInfo(ExtraInfo.SOCKET);
			socket.setOption(StandardSocketOptions.SO_LINGER, 0);
			peer.abort();
		});
	}

}
