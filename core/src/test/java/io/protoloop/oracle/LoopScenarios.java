package io.protoloop.oracle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.Handle;
import io.protoloop.loop.TimerHandle;

/** The loop itself: callback order, timers, stop(), runUntilComplete errors, closed loops. */
final class LoopScenarios {

	private LoopScenarios() {
	}

	static void callbackRaisesLoopGoesOn(EventLoop loop, Trace t) {
		Runnable boom = () -> {
			t.add("boom");
			throw new Boom();
		};
		loop.callSoon(boom);
		loop.callSoon(() -> t.add("nextCallback"));
		loop.callLater(Duration.ZERO, boom);
		loop.callLater(Trace.SHORT, loop::stop);
		loop.runForever();
		t.add("runForeverReturned");
	}

	static void callAtTies(EventLoop loop, Trace t) {
		long when = loop.time() + 2 * Trace.SHORT.toNanos();
		loop.callAt(when, () -> t.add("a"));
		loop.callAt(when, () -> t.add("b"));
		loop.callAt(when - Trace.SHORT.toNanos(), () -> t.add("c"));
		loop.callAt(when, () -> t.add("d"));
		loop.callAt(when, loop::stop);
		loop.runForever();
		t.add("runForeverReturned");
	}

	static void readyBeforeDueTimer(EventLoop loop, Trace t) {
		loop.callLater(Duration.ZERO, () -> t.add("timer"));
		loop.callSoon(() -> {
			t.add("first");
			loop.callLater(Duration.ZERO, () -> t.add("timerFromFirst"));
			loop.callSoon(() -> t.add("soonFromFirst"));
		});
		loop.callSoon(() -> t.add("soon"));
		loop.callLater(Trace.SHORT, loop::stop);
		loop.runForever();
	}

	static void stopInsideBatch(EventLoop loop, Trace t) {
		loop.callSoon(() -> {
			t.add("a");
			loop.callSoon(() -> t.add("scheduledByA"));
		});
		loop.callSoon(loop::stop);
		loop.callSoon(() -> t.add("b"));
		loop.runForever();
		t.add("runForeverReturned");
		loop.callSoon(loop::stop);
		loop.runForever();
		t.add("secondRunReturned");
		loop.stop();
		loop.callSoon(() -> t.add("readyBeforeStoppedRun"));
		loop.runForever();
		t.add("stoppedRunReturned");
	}

	static void runUntilCompleteError(EventLoop loop, Trace t) throws Exception {
		CompletableFuture<Object> fut = new CompletableFuture<>();
		loop.callSoon(() -> fut.completeExceptionally(new Boom()));
		try {
			loop.runUntilComplete(fut);
			t.add("returned");
		}
		catch (ExecutionException ex) {
			t.add("runUntilComplete", ex);
		}
		CompletableFuture<Integer> done = new CompletableFuture<>();
		loop.callSoon(() -> done.complete(42));
		t.add("runUntilComplete", loop.runUntilComplete(done));
	}

	static void runUntilCompleteStoppedEarly(EventLoop loop, Trace t) throws Exception {
		CompletableFuture<Object> fut = new CompletableFuture<>();
		loop.callSoon(loop::stop);
		try {
			loop.runUntilComplete(fut);
			t.add("returned");
		}
		catch (RuntimeException ex) {
			t.add("runUntilComplete", ex);
		}
		t.add("futureDone", fut.isDone());
	}

	static void runWhileRunning(EventLoop loop, Trace t) {
		loop.callSoon(() -> {
			t.outcome("runForever", loop::runForever);
			t.outcome("runUntilComplete", () -> loop.runUntilComplete(new CompletableFuture<>()));
			t.outcome("close", loop::close);
			loop.stop();
		});
		loop.runForever();
		t.add("isClosed", loop.isClosed());
	}

	static void closedLoop(EventLoop loop, Trace t) {
		loop.close();
		t.add("isClosed", loop.isClosed());
		t.outcome("closeAgain", loop::close);
		t.outcome("callSoon", () -> loop.callSoon(() -> t.add("never")));
		t.outcome("callLater", () -> loop.callLater(Duration.ofSeconds(1), () -> t.add("never")));
		t.outcome("runForever", loop::runForever);
		t.outcome("runUntilComplete", () -> loop.runUntilComplete(new CompletableFuture<>()));
	}

	static void cancelledTimer(EventLoop loop, Trace t) {
		TimerHandle handle = loop.callLater(Trace.SHORT.dividedBy(2), () -> t.add("never"));
		handle.cancel();
		handle.cancel();
		t.add("cancelled", handle.isCancelled());
		Handle soon = loop.callSoon(() -> t.add("neverSoon"));
		soon.cancel();
		loop.callLater(Trace.SHORT, loop::stop);
		loop.runForever();
		t.add("runForeverReturned");
	}

}
