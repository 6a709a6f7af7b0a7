package io.protoloop.bench;

import java.net.InetSocketAddress;

import io.protoloop.demo.kv.ClientAccess;
import io.protoloop.demo.kv.InputBudget;
import io.protoloop.demo.kv.KeyValueStore;
import io.protoloop.demo.kv.KvMetrics;
import io.protoloop.demo.kv.KvProperties;
import io.protoloop.demo.kv.RespProtocol;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.transport.Server;

/**
 * The demo's Redis-protocol server ({@code protoloop-kv}): one event loop, the demo application's
 * {@link RespProtocol} with its defaults, without Spring. Runs the idle-connection scenario only (it speaks RESP,
 * not echo), where each connection first sends a PING and reads the PONG, so it has parsed and replied once.
 */
final class ProtoloopKvServer implements EchoServer {

	/** What each idle connection sends first, and the reply it waits for. */
	static final String PING = "PING\r\n";

	static final String PONG = "+PONG\r\n";

	private final EventLoopGroup group;

	private final Server server;

	private ProtoloopKvServer(EventLoopGroup group, Server server) {
		this.group = group;
		this.server = server;
	}

	/** Starts the server on an ephemeral port of 127.0.0.1. */
	static ProtoloopKvServer start(int backlog) throws Exception {
		EventLoopGroup group = BenchLoops.group();
		KvProperties properties = KvProperties.DEFAULTS;
		KeyValueStore store = new KeyValueStore(properties);
		ClientAccess access = new ClientAccess(properties);
		InputBudget inputBudget = new InputBudget(properties);
		KvMetrics metrics = new KvMetrics(store);
		ServerOptions options = ServerOptions.builder().hosts("127.0.0.1").port(0).backlog(backlog).build();
		try {
			return new ProtoloopKvServer(group, group
				.createServer(() -> new RespProtocol(store, access, inputBudget, metrics, properties), options)
				.get());
		}
		catch (Exception ex) {
			group.close();
			throw ex;
		}
	}

	@Override
	public int port() {
		return ((InetSocketAddress) this.server.addresses().get(0)).getPort();
	}

	@Override
	public long loopThreadId() throws Exception {
		return this.group.loops().get(0).submit(() -> Thread.currentThread().getId()).get();
	}

	@Override
	public int openConnections() {
		return this.server.connectionCount();
	}

	@Override
	public void close() {
		this.server.close();
		this.group.close();
	}

}
