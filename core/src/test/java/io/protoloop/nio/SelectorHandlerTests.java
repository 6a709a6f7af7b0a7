package io.protoloop.nio;

import java.util.concurrent.atomic.AtomicInteger;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.VirtualClock;
import io.protoloop.loop.EventLoop;
import io.protoloop.testing.RunningLoop;

import static io.protoloop.nio.LoopTesting.TIMEOUT;
import static io.protoloop.nio.LoopTesting.await;
import static io.protoloop.nio.LoopTesting.awaitBlockedInSelect;
import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selector handlers, the hook transports use, driven by a {@link Pipe}: readiness wakes the loop, a failing
 * handler is reported without killing the loop, and debug mode times handlers too.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class SelectorHandlerTests {

	private Pipe pipe;

	private final LogCapture log = LogCapture.eventLoop();

	@BeforeEach
	void openPipe() throws IOException {
		this.pipe = Pipe.open();
		this.pipe.source().configureBlocking(false);
	}

	@AfterEach
	void closePipe() throws IOException {
		this.log.close();
		this.pipe.sink().close();
		this.pipe.source().close();
	}

	@Test
	void readinessWakesALoopBlockedInSelectAndRunsTheHandlerOnTheLoopThread() throws Exception {
		try (RunningLoop running = new RunningLoop("io-wake")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);
			CompletableFuture<Thread> handledOn = new CompletableFuture<>();
			running.run(() -> loop.register(this.pipe.source(), SelectionKey.OP_READ, (readyOps) -> {
				readOneByte();
				handledOn.complete(Thread.currentThread());
			}));

			awaitBlockedInSelect(loopThread);
			this.pipe.sink().write(ByteBuffer.wrap(new byte[] { 1 }));

			assertThat(await(handledOn)).isSameAs(loopThread);
		}
	}

	@Test
	void aFailingHandlerIsReportedWithTheHandlerAndTheLoopKeepsRunning() throws Exception {
		try (RunningLoop running = new RunningLoop("io-failure")) {
			SelectorEventLoop loop = running.loop();
			RuntimeException failure = new IllegalStateException("handler failed");
			SelectorHandler handler = (readyOps) -> {
				readOneByte();
				throw failure;
			};
			running.run(() -> loop.register(this.pipe.source(), SelectionKey.OP_READ, handler));

			this.pipe.sink().write(ByteBuffer.wrap(new byte[] { 1 }));

			assertThat(running.awaitErrors(1)).singleElement().satisfies((context) -> {
				assertThat(context.message()).isEqualTo("Unhandled error in I/O handler");
				assertThat(context.exception()).isSameAs(failure);
				assertThat(context.callback()).isSameAs(handler);
			});
			assertThat(running.call(() -> "alive")).isEqualTo("alive");
		}
	}

	@Test
	void anIterationRunsTheCallbacksReadyBeforeItThenItsIoHandlersThenDueTimers() throws Exception {
		SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("io-order").withClock(new VirtualClock()));
		try {
			List<String> events = new ArrayList<>();
			loop.register(this.pipe.source(), SelectionKey.OP_READ, (readyOps) -> {
				readOneByte();
				events.add("io");
				loop.callSoon(() -> events.add("scheduled by io"));
			});
			this.pipe.sink().write(ByteBuffer.wrap(new byte[] { 1 }));
			loop.callLater(Duration.ZERO, () -> events.add("timer"));
			loop.callSoon(() -> {
				events.add("callback");
				loop.callSoon(() -> events.add("scheduled by callback"));
			});

			// One iteration, as CPython's _run_once; what the callbacks schedule waits for the next one.
			loop.stop();
			runForeverBounded(loop);
			assertThat(events).containsExactly("callback", "io", "timer");

			loop.stop();
			runForeverBounded(loop);
			assertThat(events).containsExactly("callback", "io", "timer", "scheduled by callback", "scheduled by io");
		}
		finally {
			loop.close();
		}
	}

	@Test
	void aCallbackAnIoHandlerSchedulesTakesEffectBeforeTheNextIoOfThatChannel() throws Exception {
		SelectorEventLoop loop = new SelectorEventLoop("pause-reading");
		try {
			AtomicInteger handled = new AtomicInteger();
			SelectionKey[] key = new SelectionKey[1];
			// As a protocol calling callSoon(transport::pauseReading) from dataReceived.
			key[0] = loop.register(this.pipe.source(), SelectionKey.OP_READ, (readyOps) -> {
				readOneByte();
				handled.incrementAndGet();
				loop.callSoon(() -> key[0].interestOps(0));
			});
			this.pipe.sink().write(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));

			for (int i = 0; i < 3; i++) {
				loop.stop();
				runForeverBounded(loop);
			}

			assertThat(handled).hasValue(1);
		}
		finally {
			loop.close();
		}
	}

	@Test
	void aSlowHandlerIsLoggedInDebugMode() throws Exception {
		try (RunningLoop running = new RunningLoop("io-slow")) {
			SelectorEventLoop loop = running.loop();
			loop.setSlowCallbackDuration(Duration.ofMillis(20));
			loop.setDebug(true);
			CountDownLatch handled = new CountDownLatch(1);
			SelectorHandler slow = new SelectorHandler() {

				@Override
				public void onReady(int readyOps) {
					readOneByte();
					LoopTesting.spin(Duration.ofMillis(50));
					handled.countDown();
				}

				@Override
				public String toString() {
					return "slow-handler";
				}

			};
			running.run(() -> loop.register(this.pipe.source(), SelectionKey.OP_READ, slow));

			this.pipe.sink().write(ByteBuffer.wrap(new byte[] { 1 }));
			assertThat(handled.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			running.call(() -> null);

			assertThat(this.log.recordsContaining("slow-handler")).singleElement()
				.satisfies((record) -> assertThat(record.getMessage()).startsWith("Executing slow-handler took "));
		}
	}

	private void readOneByte() {
		try {
			this.pipe.source().read(ByteBuffer.allocate(1));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
