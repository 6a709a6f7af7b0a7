package io.protoloop.oracle;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

/** Servers: close with live connections, wait_closed, serve_forever, start_serving. */
final class ServerScenarios {

	private ServerScenarios() {
	}

	private static ServerOptions loopback(boolean startServing) {
		return ServerOptions.builder().hosts("127.0.0.1").port(0).startServing(startServing).build();
	}

	/** Runs {@code action} on the loop thread, as Python's synchronous Server methods run. */
	static void onLoop(EventLoop loop, Trace t, Trace.ThrowingRunnable action) throws Exception {
		t.await(loop, loop.submit(() -> {
			action.run();
			return null;
		}));
	}

	private static int port(Server server) {
		return ((InetSocketAddress) server.addresses().get(0)).getPort();
	}

	static void serverCloseWithLiveConnection(EventLoop loop, Trace t) throws Exception {
		CompletableFuture<TracingProtocol> made = new CompletableFuture<>();
		CompletableFuture<?>[] waiter = new CompletableFuture<?>[1];
		Server server = t.await(loop, loop.createServer(() -> new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				made.complete(this);
			}

			@Override
			void onData(ByteBuffer data) {
				boolean last = ScenarioSupport.text(data).endsWith("!");
				this.transport.write(data);
				if (last) {
					t.add("waitClosedDoneWhileClientOpen", waiter[0].isDone());
					this.transport.close();
				}
			}
		}, loopback(true)));
		Peer peer = new Peer(new Socket("127.0.0.1", port(server)));
		TracingProtocol p = t.await(loop, made);
		onLoop(loop, t, () -> {
			server.close();
			t.add("isServing", server.isServing());
			t.add("sockets", server.sockets().size());
		});
		waiter[0] = server.waitClosed();
		StreamScenarios.sleep(loop, t);
		peer.send("still here!");
		peer.startReading();
		t.await(loop, p.lost);
		t.await(loop, waiter[0]);
		t.add("waitClosedDone");
		t.peer(peer);
	}

	static void serverServeForever(EventLoop loop, Trace t) throws Exception {
		Server server = t.await(loop, loop.createServer(() -> new TracingProtocol(t, loop), loopback(false)));
		t.add("isServing", server.isServing());
		CompletableFuture<Void> first = server.serveForever();
		StreamScenarios.sleep(loop, t);
		t.add("isServing", server.isServing());
		serveForever(loop, t, server, "second");
		onLoop(loop, t, server::close);
		try {
			t.await(loop, first);
			t.add("first", "returned");
		}
		catch (Exception ex) {
			t.add("first", ex);
		}
		serveForever(loop, t, server, "onClosed");
		t.await(loop, server.waitClosed());
	}

	private static void serveForever(EventLoop loop, Trace t, Server server, String label) {
		try {
			t.await(loop, server.serveForever());
			t.add(label, "returned");
		}
		catch (Exception ex) {
			t.add(label, ex);
		}
	}

	static void serverStartServingLater(EventLoop loop, Trace t) throws Exception {
		CompletableFuture<TracingProtocol> made = new CompletableFuture<>();
		Server server = t.await(loop, loop.createServer(() -> new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				made.complete(this);
			}
		}, loopback(false)));
		t.add("isServing", server.isServing());
		t.add("sockets", server.sockets().size());
		int port = port(server);
		onLoop(loop, t, server::startServing);
		t.add("isServing", server.isServing());
		Peer peer = new Peer(new Socket("127.0.0.1", port));
		TracingProtocol p = t.await(loop, made);
		onLoop(loop, t, () -> {
			server.close();
			t.add("isServing", server.isServing());
			t.add("sockets", server.sockets().size());
		});
		p.transport.close();
		peer.startReading();
		t.await(loop, p.lost);
		t.await(loop, server.waitClosed());
		t.peer(peer);
	}

}
