package io.protoloop.oracle;


import io.protoloop.loop.EventLoop;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WriteBufferLimits;

import static io.protoloop.oracle.ScenarioSupport.accept;
import static io.protoloop.oracle.ScenarioSupport.b;
import static io.protoloop.oracle.ScenarioSupport.fill;
import static io.protoloop.oracle.ScenarioSupport.filler;

/** Write flow control: watermarks, pause/resume pairing, writes while closing, abort with pending writes. */
final class FlowControlScenarios {

	private FlowControlScenarios() {
	}

	/** Python's get_write_buffer_limits() returns (low, high): traced in that order. */
	private static void limits(Trace t, Transport tr, String label) {
		WriteBufferLimits limits = tr.getWriteBufferLimits();
		t.add(label, limits.low(), limits.high());
	}

	static void writeBufferLimitsForms(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		Transport tr = accept(loop, t, p).tr();
		limits(t, tr, "default");
		tr.setWriteBufferLimits(100);
		limits(t, tr, "highOnly");
		tr.setWriteBufferLimits(100, 100);
		limits(t, tr, "equal");
		tr.setWriteBufferLimits(0);
		limits(t, tr, "zero");
		tr.close();
		t.await(loop, p.lost);
	}

	/**
	 * {@code set_write_buffer_limits(low=10)} and {@code set_write_buffer_limits()}: Java's
	 * {@code setWriteBufferLimits(WriteBufferLimits.ofLow(10))} and {@code setWriteBufferLimits()}.
	 */
	static void writeBufferLimitsLowOnlyAndReset(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		Transport tr = accept(loop, t, p).tr();
		tr.setWriteBufferLimits(WriteBufferLimits.ofLow(10));
		limits(t, tr, "lowOnly");
		tr.setWriteBufferLimits();
		limits(t, tr, "noArguments");
		tr.close();
		t.await(loop, p.lost);
	}

	static void writeBufferLimitsInvalid(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		Transport tr = accept(loop, t, p).tr();
		t.outcome("lowOverHigh", () -> tr.setWriteBufferLimits(1, 2));
		t.outcome("negativeHigh", () -> tr.setWriteBufferLimits(-1));
		t.outcome("negativeLow", () -> tr.setWriteBufferLimits(10, -1));
		limits(t, tr, "unchanged");
		tr.close();
		t.await(loop, p.lost);
	}

	static void pauseStrictlyOverHigh(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onResume() {
				this.transport.close();
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		Transport tr = a.tr();
		long s0 = fill(t, tr);
		tr.setWriteBufferLimits((int) s0 + 10, (int) s0);
		tr.write(b("0123456789"));
		t.add("atHigh", tr.getWriteBufferSize() - s0);
		tr.write(b("a"));
		t.add("overHigh", tr.getWriteBufferSize() - s0);
		tr.write(b("bcdef"));
		t.add("stillOver", tr.getWriteBufferSize() - s0);
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void zeroHighWatermark(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onResume() {
				t.add("sizeAtResume", this.transport.getWriteBufferSize());
				this.transport.close();
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		a.tr().setWriteBufferLimits(0);
		a.tr().write(filler());
		t.add("writeReturned");
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void equalWatermarks(EventLoop loop, Trace t) throws Exception {
		long[] s0 = new long[1];
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onResume() {
				t.add("sizeAtResumeWithinLow", this.transport.getWriteBufferSize() <= s0[0] + 5);
				this.transport.close();
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		Transport tr = a.tr();
		s0[0] = fill(t, tr);
		tr.setWriteBufferLimits((int) s0[0] + 5, (int) s0[0] + 5);
		tr.write(b("12345"));
		t.add("atMark");
		tr.write(b("6"));
		t.add("overMark");
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void limitsLoweredBelowBuffer(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onResume() {
				loop.callSoon(this.transport::close);
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		Transport tr = a.tr();
		fill(t, tr);
		t.add("lowering");
		tr.setWriteBufferLimits(1024);
		t.add("setReturned");
		tr.setWriteBufferLimits(512);
		t.add("setAgainReturned");
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void limitsRaisedWhilePaused(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onResume() {
				this.transport.close();
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		Transport tr = a.tr();
		tr.write(filler());
		t.add("raising");
		tr.setWriteBufferLimits(1 << 30);
		t.add("setReturned");
		tr.write(b("more"));
		loop.callSoon(a.peer()::startReading);
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void pauseWritingRaises(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onPause() {
				throw new Boom();
			}

			@Override
			void onResume() {
				loop.callSoon(this.transport::close);
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		a.tr().write(filler());
		t.add("bufferIntact", a.tr().getWriteBufferSize() > 64 * 1024);
		t.add("isClosing", a.tr().isClosing());
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void resumeWritingRaises(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onResume() {
				loop.callSoon(() -> {
					t.add("isClosing", this.transport.isClosing());
					this.transport.write(b("tail"));
					this.transport.close();
				});
				throw new Boom();
			}
		};
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		a.tr().write(filler());
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void writeAfterCloseWhileFlushing(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		Transport tr = a.tr();
		long s0 = fill(t, tr);
		tr.close();
		t.add("isClosing", tr.isClosing());
		tr.write(b("tail"));
		t.add("appended", tr.getWriteBufferSize() - s0);
		a.peer().startReading();
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

	static void abortWithPendingWrites(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		Transport tr = a.tr();
		fill(t, tr);
		tr.abort();
		t.add("bufferAfterAbort", tr.getWriteBufferSize());
		t.add("isClosing", tr.isClosing());
		a.peer().startReading();
		t.await(loop, p.lost);
		byte[] data = a.peer().result();
		t.add("peerReceivedLess", data.length < Peer.FILLER, a.peer().end());
	}

	static void closeWithPendingWrites(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ScenarioSupport.Accepted a = accept(loop, t, p, true);
		fill(t, a.tr());
		a.tr().close();
		t.add("closeReturned", a.tr().isClosing());
		loop.callSoon(a.peer()::startReading);
		t.await(loop, p.lost);
		t.peer(a.peer());
	}

}
