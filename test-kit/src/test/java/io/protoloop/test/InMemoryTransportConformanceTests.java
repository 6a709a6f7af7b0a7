package io.protoloop.test;

import java.util.function.Supplier;

import io.protoloop.conformance.StreamTransportContract;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

import static io.protoloop.testing.RunningLoop.await;

/** The stream transport contract over pairs of in-memory transports, the same one the socket transports pass. */
class InMemoryTransportConformanceTests extends StreamTransportContract {

	@Override
	protected Server startServer(Supplier<? extends StreamProtocol> factory) {
		return new InMemoryServer(this.loop, factory);
	}

	@Override
	protected <P extends StreamProtocol> TransportAndProtocol<Transport, P> connect(Server server, Supplier<P> factory)
			throws Exception {
		return await(((InMemoryServer) server).connect(factory));
	}

	/** An abort: in memory, the peer of an aborted end sees a reset. */
	@Override
	protected void resetByPeer(Transport peer) throws Exception {
		this.running.run(peer::abort);
	}

}
