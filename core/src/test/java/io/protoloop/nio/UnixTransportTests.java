package io.protoloop.nio;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.junit.jupiter.api.io.TempDir;

import io.protoloop.tcp.ServerOptions;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

import static io.protoloop.testing.RunningLoop.await;

/** The stream transport contract over Unix domain sockets. */
class UnixTransportTests extends SocketStreamContract {

	@TempDir
	Path directory;

	private int servers;

	@Override
	protected Server startServer(Supplier<? extends StreamProtocol> factory) throws Exception {
		Path path = this.directory.resolve("server-" + (this.servers++) + ".sock");
		return await(this.loop.createUnixServer(factory, path, ServerOptions.DEFAULT));
	}

	@Override
	protected <P extends StreamProtocol> TransportAndProtocol<Transport, P> connect(Server server, Supplier<P> factory)
			throws Exception {
		Path path = ((java.net.UnixDomainSocketAddress) server.addresses().get(0)).getPath();
		return await(this.loop.createUnixConnection(factory, path, ConnectionOptions.DEFAULT));
	}

	@Override
	protected void resetByPeer(Transport peer) throws Exception {
		// Unix sockets have no reset: an abrupt close makes the writer fail with a broken pipe.
		this.running.run(peer::abort);
	}

}
