package io.protoloop.oracle;

import io.protoloop.loop.EventLoop;

import static io.protoloop.oracle.ScenarioSupport.accept;
import static io.protoloop.oracle.ScenarioSupport.b;

/** BufferedProtocol: buffer sizes, EOF, and the callbacks that are fatal when they raise. */
final class BufferedScenarios {

	private BufferedScenarios() {
	}

	private static void sendAndWait(EventLoop loop, Trace t, TracingBufferedProtocol p, String data, boolean eof)
			throws Exception {
		Peer peer = accept(loop, t, p).peer();
		peer.send(data);
		if (eof) {
			peer.shutdown();
		}
		peer.startReading();
		t.await(loop, p.lost);
		t.peer(peer);
	}

	static void bufferedProtocolBasic(EventLoop loop, Trace t) throws Exception {
		sendAndWait(loop, t, new TracingBufferedProtocol(t, loop), "hello buffered", true);
	}

	static void bufferedOneByteBuffer(EventLoop loop, Trace t) throws Exception {
		TracingBufferedProtocol p = new TracingBufferedProtocol(t, loop);
		p.size = 1;
		sendAndWait(loop, t, p, "abcdef", true);
	}

	static void bufferedEofTrueThenWrite(EventLoop loop, Trace t) throws Exception {
		TracingBufferedProtocol p = new TracingBufferedProtocol(t, loop) {
			@Override
			boolean onEof() {
				this.transport.write(b("reply:" + this.received.toString(java.nio.charset.StandardCharsets.US_ASCII)));
				loop.callSoon(this.transport::close);
				return true;
			}
		};
		sendAndWait(loop, t, p, "question", true);
	}

	static void getBufferRaises(EventLoop loop, Trace t) throws Exception {
		TracingBufferedProtocol p = new TracingBufferedProtocol(t, loop) {
			@Override
			public java.nio.ByteBuffer getBuffer(int sizeHint) {
				super.getBuffer(sizeHint);
				throw new Boom();
			}
		};
		sendAndWait(loop, t, p, "abc", false);
	}

	static void getBufferEmpty(EventLoop loop, Trace t) throws Exception {
		TracingBufferedProtocol p = new TracingBufferedProtocol(t, loop);
		p.size = 0;
		sendAndWait(loop, t, p, "abc", false);
	}

	static void bufferUpdatedRaises(EventLoop loop, Trace t) throws Exception {
		TracingBufferedProtocol p = new TracingBufferedProtocol(t, loop) {
			@Override
			void onUpdated(int nbytes) {
				throw new Boom();
			}
		};
		sendAndWait(loop, t, p, "abc", false);
	}

}
