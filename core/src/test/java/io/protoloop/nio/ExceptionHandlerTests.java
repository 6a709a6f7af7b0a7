package io.protoloop.nio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.Handle;
import io.protoloop.loop.TimerHandle;
import io.protoloop.testing.RunningLoop;

import static io.protoloop.nio.LoopTesting.TIMEOUT;
import static io.protoloop.nio.LoopTesting.await;
import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exception handler: what a failing callback reports, that the loop survives it (and a failing handler),
 * and the default handler's log.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class ExceptionHandlerTests {

	private final LogCapture log = LogCapture.eventLoop();

	@AfterEach
	void stopCapturing() {
		this.log.close();
	}

	@Test
	void anExceptionFromACallbackGoesToTheHandlerWithTheHandleAndTheLoopRunsTheNextCallbacks() throws Exception {
		try (RunningLoop running = new RunningLoop("failing-callback")) {
			SelectorEventLoop loop = running.loop();
			RuntimeException failure = new IllegalArgumentException("callback failed");
			List<String> ran = new ArrayList<>();
			CompletableFuture<List<String>> next = new CompletableFuture<>();

			Handle failing = loop.callSoonThreadsafe(() -> {
				ran.add("failing");
				throw failure;
			});
			loop.callSoonThreadsafe(() -> ran.add("next"));
			loop.callSoonThreadsafe(() -> next.complete(List.copyOf(ran)));

			assertThat(await(next)).containsExactly("failing", "next");
			assertThat(running.errors()).singleElement().satisfies((context) -> {
				assertThat(context.message()).isEqualTo("Exception in callback");
				assertThat(context.exception()).isSameAs(failure);
				assertThat(context.callback()).isSameAs(failing);
				assertThat(context.transport()).isNull();
				assertThat(context.protocol()).isNull();
			});
		}
	}

	@Test
	void anExceptionFromATimerCallbackGoesToTheHandlerWithTheTimerHandle() throws Exception {
		try (RunningLoop running = new RunningLoop("failing-timer")) {
			SelectorEventLoop loop = running.loop();
			RuntimeException failure = new IllegalStateException("timer failed");

			TimerHandle timer = running.call(() -> loop.callLater(Duration.ZERO, () -> {
				throw failure;
			}));

			assertThat(running.awaitErrors(1)).singleElement().satisfies((context) -> {
				assertThat(context.message()).isEqualTo("Exception in callback");
				assertThat(context.exception()).isSameAs(failure);
				assertThat(context.callback()).isSameAs(timer);
			});
			assertThat(running.call(() -> "alive")).isEqualTo("alive");
		}
	}

	@Test
	void anErrorThrownByACallbackIsReportedNotFatal() throws Exception {
		try (RunningLoop running = new RunningLoop("failing-assertion")) {
			AssertionError error = new AssertionError("not a VirtualMachineError");

			running.loop().callSoonThreadsafe(() -> {
				throw error;
			});

			assertThat(running.awaitErrors(1)).singleElement()
				.satisfies((context) -> assertThat(context.exception()).isSameAs(error));
			assertThat(running.call(() -> "alive")).isEqualTo("alive");
			assertThat(running.loop().isRunning()).isTrue();
		}
	}

	@Test
	void aVirtualMachineErrorFromACallbackIsNotSwallowed() {
		SelectorEventLoop loop = new SelectorEventLoop("fatal");
		try {
			List<ExceptionContext> errors = new ArrayList<>();
			loop.setExceptionHandler((l, context) -> errors.add(context));
			InternalError fatal = new InternalError("the JVM is in trouble");
			loop.callSoon(() -> {
				throw fatal;
			});
			// Were the error swallowed, the loop would return here instead of throwing.
			loop.callSoon(loop::stop);

			assertThatThrownBy(loop::runForever).isSameAs(fatal);
			assertThat(errors).isEmpty();
			assertThat(loop.isRunning()).isFalse();
		}
		finally {
			loop.close();
		}
		assertThat(loop.isClosed()).isTrue();
	}

	@Test
	void theHandlerIsCalledWithTheLoopOnTheLoopThread() throws Exception {
		try (RunningLoop running = new RunningLoop("handler-args")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);
			CompletableFuture<Object[]> call = new CompletableFuture<>();
			loop.setExceptionHandler((l, context) -> call.complete(new Object[] { l, Thread.currentThread() }));

			loop.callSoonThreadsafe(() -> {
				throw new IllegalStateException("boom");
			});

			assertThat(await(call)).containsExactly(loop, loopThread);
		}
	}

	@Test
	void aHandlerThatThrowsDoesNotKillTheLoopAndTheDefaultHandlerLogsBothErrors() throws Exception {
		try (RunningLoop running = new RunningLoop("failing-handler")) {
			SelectorEventLoop loop = running.loop();
			RuntimeException callbackFailure = new IllegalStateException("callback failed");
			RuntimeException handlerFailure = new IllegalStateException("handler failed too");
			loop.setExceptionHandler((l, context) -> {
				throw handlerFailure;
			});
			CountDownLatch next = new CountDownLatch(1);

			loop.callSoonThreadsafe(new Failing("failing-callback", callbackFailure));
			loop.callSoonThreadsafe(next::countDown);

			assertThat(next.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			assertThat(this.log.recordsContaining("Unhandled error in exception handler")).singleElement()
				.satisfies((record) -> {
					assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
					assertThat(record.getMessage()).contains(loop.name());
					assertThat(record.getThrown()).isSameAs(handlerFailure);
				});
			assertThat(this.log.recordsContaining("failing-callback")).singleElement().satisfies((record) -> {
				assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
				assertThat(record.getMessage())
					.isEqualTo("[" + loop.name() + "] Exception in callback; callback: Handle[failing-callback]");
				assertThat(record.getThrown()).isSameAs(callbackFailure);
			});
			assertThat(running.call(() -> "alive")).isEqualTo("alive");
		}
	}

	@Test
	void setExceptionHandlerNullRestoresTheDefaultHandler() throws Exception {
		try (RunningLoop running = new RunningLoop("restore-default")) {
			SelectorEventLoop loop = running.loop();
			assertThat(loop.getExceptionHandler()).isNotNull();

			loop.setExceptionHandler(null);
			assertThat(loop.getExceptionHandler()).isNull();
			RuntimeException failure = new IllegalStateException("logged, not recorded");
			CountDownLatch next = new CountDownLatch(1);
			loop.callSoonThreadsafe(new Failing("restored-default", failure));
			loop.callSoonThreadsafe(next::countDown);

			assertThat(next.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			assertThat(running.errors()).isEmpty();
			assertThat(this.log.recordsContaining("restored-default")).singleElement().satisfies((record) -> {
				assertThat(record.getMessage()).contains("Exception in callback");
				assertThat(record.getThrown()).isSameAs(failure);
			});
		}
	}

	@Test
	void theDefaultHandlerLogsTheDescribedContextWithTheExceptionAtErrorLevel() {
		SelectorEventLoop loop = new SelectorEventLoop("default-handler");
		try {
			Exception failure = new Exception("what went wrong");

			loop.defaultExceptionHandler(new ExceptionContext("Something broke", failure, "the transport",
					"the protocol", "the callback"));

			LogRecord record = this.log.recordsContaining("Something broke").get(0);
			assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
			assertThat(record.getMessage()).isEqualTo("[default-handler] Something broke; transport: the transport; "
					+ "protocol: the protocol; callback: the callback");
			assertThat(record.getThrown()).isSameAs(failure);
		}
		finally {
			loop.close();
		}
	}

	@Test
	void callExceptionHandlerNeverThrows() {
		SelectorEventLoop loop = new SelectorEventLoop("never-throws");
		try {
			ExceptionContext context = ExceptionContext.of("reported", new RuntimeException("original"));

			loop.setExceptionHandler((l, c) -> {
				throw new IllegalStateException("handler bug");
			});
			assertThatCode(() -> loop.callExceptionHandler(context)).doesNotThrowAnyException();

			loop.setExceptionHandler((l, c) -> {
				throw new AssertionError("handler assertion");
			});
			assertThatCode(() -> loop.callExceptionHandler(context)).doesNotThrowAnyException();

			loop.setExceptionHandler(null);
			assertThatCode(() -> loop.callExceptionHandler(context)).doesNotThrowAnyException();

			assertThat(this.log.recordsContaining("Unhandled error in exception handler")).hasSize(2);
			assertThat(this.log.recordsContaining("reported")).hasSize(3);
		}
		finally {
			loop.close();
		}
	}

	@Test
	void aCallbackWhoseToStringThrowsCannotKillTheLoopThroughTheDefaultHandler() throws Exception {
		SelectorEventLoop loop = new SelectorEventLoop("bad-to-string");
		try {
			RuntimeException failure = new IllegalStateException("callback failed");
			Runnable badlyNamed = new Runnable() {

				@Override
				public void run() {
					throw failure;
				}

				@Override
				public String toString() {
					throw new UnsupportedOperationException("no name");
				}

			};
			List<String> log = new ArrayList<>();
			loop.callSoon(badlyNamed);
			loop.callSoon(() -> log.add("next"));
			loop.callSoon(loop::stop);

			assertThatCode(() -> runForeverBounded(loop)).doesNotThrowAnyException();

			assertThat(log).containsExactly("next");
			assertThat(this.log.recordsContaining("Exception in callback")).singleElement()
				.satisfies((record) -> assertThat(record.getThrown()).isSameAs(failure));
		}
		finally {
			loop.close();
		}
	}

	@Test
	void theHandlerCanBeCalledDirectly() throws Exception {
		try (RunningLoop running = new RunningLoop("direct")) {
			ExceptionContext context = ExceptionContext.of("reported by a transport", new RuntimeException());

			running.loop().callExceptionHandler(context);

			assertThat(running.errors()).containsExactly(context);
		}
	}

	@Test
	void exceptionContextDescribesOnlyTheKnownParts() {
		RuntimeException failure = new RuntimeException();

		assertThat(ExceptionContext.of("only a message", failure).describe()).isEqualTo("only a message");
		assertThat(ExceptionContext.of("only a message", failure).exception()).isSameAs(failure);
		assertThat(new ExceptionContext("with protocol", null, null, "p", null).describe())
			.isEqualTo("with protocol; protocol: p");
	}

	/** A callback with a name that throws. */
	record Failing(String name, RuntimeException failure) implements Runnable {

		@Override
		public void run() {
			throw this.failure;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
