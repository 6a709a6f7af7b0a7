package io.protoloop.oracle;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.protoloop.loop.EventLoop;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

import static io.protoloop.oracle.ScenarioSupport.accept;
import static io.protoloop.oracle.ScenarioSupport.answerOnEof;
import static io.protoloop.oracle.ScenarioSupport.b;
import static io.protoloop.oracle.ScenarioSupport.buf;

/** Stream scenarios: connect and close orders, half-close, callback exceptions, read flow control. */
final class StreamScenarios {

	private StreamScenarios() {
	}

	// ---------------------------------------------------------------- connect and close orders

	static void clientWriteClose(EventLoop loop, Trace t) throws Exception {
		Listener listener = new Listener();
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				tr.write(b("hello"));
				t.add("isClosing", tr.isClosing());
				tr.close();
				t.add("isClosing", tr.isClosing());
			}
		};
		t.await(loop, loop.createConnection(() -> p, "127.0.0.1", listener.port));
		Peer peer = listener.accept();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void serverEchoThenEof(EventLoop loop, Trace t) throws Exception {
		CompletableFuture<TracingProtocol> made = new CompletableFuture<>();
		Server server = t.await(loop, loop.createServer(() -> new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				made.complete(this);
			}

			@Override
			void onData(ByteBuffer data) {
				this.transport.write(data);
			}
		}, ServerOptions.builder().hosts("127.0.0.1").port(0).build()));
		int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
		Peer peer = new Peer(new java.net.Socket("127.0.0.1", port));
		TracingProtocol p = t.await(loop, made);
		peer.send("ping");
		peer.shutdown();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
		server.close();
		t.await(loop, server.waitClosed());
		t.add("serverClosed");
	}

	static void closeInConnectionMade(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				tr.close();
				t.add("closeReturned", tr.isClosing());
			}
		};
		Peer peer = accept(loop, t, p).peer();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void closeTwiceThenAbort(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				tr.close();
				tr.close();
				tr.abort();
				t.add("returned", tr.isClosing());
			}
		};
		Peer peer = accept(loop, t, p).peer();
		t.await(loop, p.lost);
		CompletableFuture<Void> next = new CompletableFuture<>();
		loop.callSoon(() -> {
			t.add("nextIteration");
			next.complete(null);
		});
		t.await(loop, next);
		t.peer(peer);
	}

	static void abortInDataReceived(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onData(ByteBuffer data) {
				this.transport.abort();
				t.add("abortReturned", this.transport.isClosing());
			}
		};
		Peer peer = accept(loop, t, p).peer();
		peer.send("abc");
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void peerReset(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		Peer peer = accept(loop, t, p).peer();
		peer.reset();
		t.await(loop, p.lost);
	}

	static void connectRefused(EventLoop loop, Trace t) throws Exception {
		int port = Peer.closedPort(false);
		AtomicBoolean created = new AtomicBoolean();
		try {
			t.await(loop, loop.createConnection(() -> {
				created.set(true);
				return new TracingProtocol(t, loop);
			}, "127.0.0.1", port));
			t.add("connected");
		}
		catch (Exception ex) {
			t.add("createConnection", ex);
		}
		t.add("factoryCalled", created.get());
	}

	static void connectLocalhostRefusedOneError(EventLoop loop, Trace t) throws Exception {
		int port = Peer.closedPort(false);
		try {
			t.await(loop, loop.createConnection(() -> new TracingProtocol(t, loop), "localhost", port));
			t.add("connected");
		}
		catch (Exception ex) {
			t.add("createConnection", ex);
		}
	}

	static void writeAfterConnectionLost(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p);
		a.tr().close();
		t.await(loop, p.lost);
		t.outcome("write", () -> a.tr().write(b("late")));
		t.outcome("write", () -> a.tr().write(b("late")));
		t.add("isClosing", a.tr().isClosing());
		t.peer(a.peer());
	}

	static void extraInfo(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p);
		Transport tr = a.tr();
		java.net.Socket socket = a.peer().socket;
		t.add("peernameIsPeer", socket.getLocalSocketAddress().equals(tr.getExtraInfo(ExtraInfo.PEERNAME)));
		t.add("socknameIsPeersPeer", socket.getRemoteSocketAddress().equals(tr.getExtraInfo(ExtraInfo.SOCKNAME)));
		t.add("socketPresent", tr.getExtraInfo(ExtraInfo.SOCKET) != null);
		t.add("unknownKey", tr.getExtraInfo("no-such-key", "fallback"));
		t.add("unknownKeyNoDefault", tr.getExtraInfo("no-such-key"));
		t.add("isClosing", tr.isClosing());
		t.add("isReading", tr.isReading());
		tr.close();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void writelinesAndEmptyWrite(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p);
		a.tr().writelines(buf("ab"), buf("cd"));
		a.tr().write(new byte[0]);
		t.add("bufferSize", a.tr().getWriteBufferSize());
		a.tr().write(b("ef"));
		a.tr().close();
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void setProtocolSwitch(EventLoop loop, Trace t) throws Exception {
		TracingProtocol second = new TracingProtocol(t, loop, "second");
		Peer[] peer = new Peer[1];
		TracingProtocol p = new TracingProtocol(t, loop, "first") {
			@Override
			void onData(ByteBuffer data) {
				this.transport.setProtocol(second);
				t.add("getProtocolIsSecond", this.transport.getProtocol() == second);
				peer[0].send("two");
				peer[0].shutdown();
			}
		};
		// Python's set_protocol does not call connection_made: the second protocol learns its transport here.
		ScenarioSupport.Accepted a = accept(loop, t, p);
		second.transport = a.tr();
		peer[0] = a.peer();
		peer[0].send("one");
		t.await(loop, second.lost);
		t.add("firstLost", p.lost.isDone());
		t.peer(peer[0]);
	}

	// ---------------------------------------------------------------- half-close

	static void eofReceivedFalseCloses(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		Peer peer = accept(loop, t, p).peer();
		peer.send("abc");
		peer.shutdown();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void eofReceivedTrueStaysOpen(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			boolean onEof() {
				loop.callSoon(() -> {
					t.add("isClosing", this.transport.isClosing());
					t.add("isReading", this.transport.isReading());
					this.transport.write(b("late reply"));
					this.transport.close();
				});
				return true;
			}
		};
		Peer peer = accept(loop, t, p).peer();
		peer.send("abc");
		peer.shutdown();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void writeEofThenPeerAnswers(EventLoop loop, Trace t) throws Exception {
		Listener listener = new Listener();
		TracingProtocol p = new TracingProtocol(t, loop);
		Transport tr = t.await(loop, loop.createConnection(() -> p, "127.0.0.1", listener.port)).transport();
		Peer peer = listener.accept();
		peer.startReading(ScenarioSupport::answerOnEof);
		t.add("canWriteEof", tr.canWriteEof());
		tr.write(b("request"));
		tr.writeEof();
		t.add("isClosing", tr.isClosing());
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void writeAfterWriteEof(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p);
		a.tr().write(b("abc"));
		a.tr().writeEof();
		t.outcome("write", () -> a.tr().write(b("x")));
		t.outcome("writeEofAgain", a.tr()::writeEof);
		a.tr().close();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void writeEofFlushesBufferFirst(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		ScenarioSupport.fill(t, a.tr());
		a.tr().writeEof();
		t.add("bufferedAfterWriteEof", a.tr().getWriteBufferSize() > 0);
		a.peer().startReading(ScenarioSupport::answerOnEof);
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void bothSidesHalfClose(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			boolean onEof() {
				loop.callSoon(() -> {
					t.add("isClosing", this.transport.isClosing());
					this.transport.close();
				});
				return true;
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p);
		a.tr().write(b("bye"));
		a.tr().writeEof();
		a.peer().shutdown();
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	// ---------------------------------------------------------------- exceptions in callbacks

	static void connectionMadeRaises(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				throw new Boom();
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p);
		t.add("isClosing", a.tr().isClosing());
		a.peer().send("abc");
		a.peer().shutdown();
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void connectionLostRaises(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onLost(Throwable exc) {
				loop.callSoon(() -> t.add("loopGoesOn"));
				throw new Boom();
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p);
		a.tr().close();
		t.await(loop, p.lost);
		sleep(loop, t);
		t.peer(a.peer());
	}

	static void dataReceivedRaises(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onData(ByteBuffer data) {
				throw new Boom();
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p);
		a.peer().send("abc");
		a.peer().startReading();
		t.await(loop, p.lost);
		t.add("isClosing", a.tr().isClosing());
		t.peer(a.peer());
	}

	static void eofReceivedRaises(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			boolean onEof() {
				throw new Boom();
			}
		};
		Peer peer = accept(loop, t, p).peer();
		peer.send("abc");
		peer.shutdown();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	// ---------------------------------------------------------------- reading flow control

	static void pauseReadingInConnectionMade(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				tr.pauseReading();
				t.add("isReading", tr.isReading());
				loop.callLater(Trace.SHORT, () -> {
					t.add("resuming");
					tr.resumeReading();
				});
			}
		};
		Peer peer = accept(loop, t, p).peer();
		peer.send("abc");
		peer.shutdown();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void callSoonPauseReadingBeforeData(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onMade(Transport tr) {
				loop.callSoon(tr::pauseReading);
				loop.callLater(Trace.SHORT, () -> {
					t.add("resuming");
					tr.resumeReading();
				});
			}
		};
		Peer peer = Peer.pair(false);
		peer.send("early");
		peer.shutdown();
		t.await(loop, loop.connectAcceptedSocket(() -> p, peer.subject(), ConnectionOptions.DEFAULT));
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void callSoonPauseReadingInDataReceived(EventLoop loop, Trace t) throws Exception {
		Peer[] peer = new Peer[1];
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onData(ByteBuffer data) {
				if (ScenarioSupport.text(data).equals("first")) {
					loop.callSoon(this.transport::pauseReading);
					peer[0].send("second");
					peer[0].shutdown();
					loop.callLater(Trace.SHORT, () -> {
						t.add("resuming");
						this.transport.resumeReading();
					});
				}
			}
		};
		peer[0] = accept(loop, t, p).peer();
		peer[0].send("first");
		peer[0].startReading();
		t.await(loop, p.lost);
		t.peer(peer[0]);
	}

	static void pauseReadingAroundEof(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onData(ByteBuffer data) {
				this.transport.pauseReading();
				loop.callLater(Trace.SHORT, () -> {
					t.add("resuming");
					this.transport.resumeReading();
				});
			}
		};
		Peer peer = accept(loop, t, p).peer();
		peer.send("abc");
		peer.shutdown();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void pauseResumeReadingIdempotent(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p);
		Transport tr = a.tr();
		tr.pauseReading();
		tr.pauseReading();
		t.add("isReading", tr.isReading());
		tr.resumeReading();
		tr.resumeReading();
		t.add("isReading", tr.isReading());
		tr.close();
		t.add("isReading", tr.isReading());
		t.outcome("pauseWhenClosing", tr::pauseReading);
		t.outcome("resumeWhenClosing", tr::resumeReading);
		t.await(loop, p.lost);
		t.outcome("pauseWhenClosed", tr::pauseReading);
		t.outcome("resumeWhenClosed", tr::resumeReading);
		t.add("isReading", tr.isReading());
		t.peer(a.peer());
	}

	static void closeInDataReceived(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onData(ByteBuffer data) {
				this.transport.close();
			}
		};
		Peer peer = accept(loop, t, p).peer();
		peer.send("abc");
		peer.shutdown();
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	/** Runs the loop for {@link Trace#SHORT}: Python's {@code asyncio.sleep(SHORT)}. */
	static void sleep(EventLoop loop, Trace t) throws Exception {
		CompletableFuture<Void> slept = new CompletableFuture<>();
		loop.callLater(Trace.SHORT, () -> slept.complete(null));
		t.await(loop, slept);
	}

}
