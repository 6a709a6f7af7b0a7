package io.protoloop.nio;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.testing.RunningLoop;

import static io.protoloop.nio.LoopTesting.await;
import static io.protoloop.nio.LoopTesting.join;
import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Running, stopping and closing a loop: {@code runForever}, {@code runUntilComplete}, {@code stop}, {@code close}
 * and what a closed loop refuses.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class RunStopCloseTests {

	private final SelectorEventLoop loop = new SelectorEventLoop("lifecycle");

	private Thread background;

	@AfterEach
	void closeLoop() throws InterruptedException {
		if (this.background != null) {
			this.loop.stop();
			join(this.background);
		}
		this.loop.close();
	}

	@Test
	void runUntilCompleteReturnsTheValueOfTheFuture() throws Exception {
		CompletableFuture<String> future = new CompletableFuture<>();
		this.loop.callLater(Duration.ofMillis(5), () -> future.complete("done"));

		assertThat(this.loop.runUntilComplete(future)).isEqualTo("done");
		assertThat(this.loop.isRunning()).isFalse();
	}

	@Test
	void runUntilCompleteThrowsExecutionExceptionWithTheFuturesFailure() {
		CompletableFuture<String> future = new CompletableFuture<>();
		IOException failure = new IOException("boom");
		this.loop.callSoon(() -> future.completeExceptionally(failure));

		assertThatThrownBy(() -> this.loop.runUntilComplete(future)).isInstanceOf(ExecutionException.class)
			.cause()
			.isSameAs(failure);
		assertThat(this.loop.isRunning()).isFalse();
	}

	@Test
	void runUntilCompleteStopsOnceTheFutureCompletesFromAnotherThread() throws Exception {
		CompletableFuture<String> future = new CompletableFuture<>();
		Thread completer = new Thread(() -> future.complete("from elsewhere"), "completer");
		this.loop.callSoon(completer::start);

		assertThat(this.loop.runUntilComplete(future)).isEqualTo("from elsewhere");
		join(completer);
	}

	@Test
	void runUntilCompleteOfACompletedFutureLeavesTheLoopFreeToRunLater() throws Exception {
		assertThat(this.loop.runUntilComplete(CompletableFuture.completedFuture(42))).isEqualTo(42);

		// The next run must go on until it is stopped, not return at once.
		List<String> log = new ArrayList<>();
		this.loop.callSoon(() -> {
			log.add("first");
			this.loop.callSoon(() -> {
				log.add("second");
				this.loop.stop();
			});
		});
		runForeverBounded(this.loop);

		assertThat(log).containsExactly("first", "second");
	}

	@Test
	void runUntilCompleteStoppedEarlyThrowsAndItsFutureNoLongerStopsTheLoopLater() throws Exception {
		CompletableFuture<String> future = new CompletableFuture<>();
		this.loop.callSoon(this.loop::stop);

		assertThatThrownBy(() -> this.loop.runUntilComplete(future)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("stopped before the future completed");

		// A later run in which that future completes must not stop because of it (asyncio removes its callback).
		List<String> log = new ArrayList<>();
		this.loop.callSoon(() -> {
			future.complete("late");
			this.loop.callSoon(() -> {
				log.add("next iteration");
				this.loop.callSoon(this.loop::stop);
			});
		});
		runForeverBounded(this.loop);

		assertThat(log).containsExactly("next iteration");
	}

	@Test
	void runUntilCompleteFromAnotherThreadWhileTheLoopRunsThrowsAndLeavesTheLoopRunning() throws Exception {
		startInBackground();
		CompletableFuture<String> future = new CompletableFuture<>();

		assertThatThrownBy(() -> this.loop.runUntilComplete(future)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("already running");

		// Completing that future must not stop the loop, which this call never ran.
		future.complete("ignored");
		CompletableFuture<String> nextIteration = new CompletableFuture<>();
		this.loop.callSoonThreadsafe(() -> this.loop.callSoon(() -> nextIteration.complete("still running")));
		assertThat(await(nextIteration)).isEqualTo("still running");
		assertThat(this.loop.isRunning()).isTrue();
	}

	@Test
	void stopFromAnotherThreadMakesRunForeverReturn() throws Exception {
		startInBackground();
		assertThat(this.loop.isRunning()).isTrue();

		// The loop has nothing to do, no timers: it is (or soon will be) blocked in select.
		this.loop.stop();

		join(this.background);
		assertThat(this.loop.isRunning()).isFalse();
	}

	@Test
	void stopBeforeRunForeverRunsExactlyOneIteration() {
		List<String> log = new ArrayList<>();
		this.loop.callSoon(() -> {
			log.add("already scheduled");
			this.loop.callSoon(() -> log.add("scheduled during the iteration"));
		});
		// A far timer must not make that single iteration wait.
		this.loop.callLater(Duration.ofHours(1), () -> log.add("far timer"));

		this.loop.stop();
		runForeverBounded(this.loop);

		assertThat(log).containsExactly("already scheduled");

		// The stop was used up: the next run goes on until stopped again.
		this.loop.callSoon(() -> this.loop.callSoon(this.loop::stop));
		runForeverBounded(this.loop);
		assertThat(log).containsExactly("already scheduled", "scheduled during the iteration");
	}

	@Test
	void stopIsIdempotent() {
		AtomicInteger iterations = new AtomicInteger();
		this.loop.callSoon(() -> {
			iterations.incrementAndGet();
			this.loop.stop();
			this.loop.stop();
			this.loop.callSoon(iterations::incrementAndGet);
		});

		runForeverBounded(this.loop);

		assertThat(iterations).hasValue(1);
	}

	@Test
	void theLoopCanRunAgainAfterItStopped() {
		AtomicInteger runs = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			this.loop.callSoon(() -> {
				runs.incrementAndGet();
				this.loop.stop();
			});
			runForeverBounded(this.loop);
		}

		assertThat(runs).hasValue(3);
	}

	@Test
	void runForeverWhileAlreadyRunningElsewhereThrows() throws Exception {
		try (RunningLoop running = new RunningLoop("twice")) {
			SelectorEventLoop loop = running.loop();

			assertThatThrownBy(loop::runForever).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("already running");

			assertThat(running.call(() -> "still serving")).isEqualTo("still serving");
			assertThat(loop.isRunning()).isTrue();
		}
	}

	@Test
	void runForeverFromInsideTheLoopThrows() throws Exception {
		try (RunningLoop running = new RunningLoop("reentrant")) {
			SelectorEventLoop loop = running.loop();

			Throwable thrown = running.call(() -> {
				try {
					loop.runForever();
					return null;
				}
				catch (IllegalStateException ex) {
					return ex;
				}
			});

			assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
			assertThat(running.call(loop::isRunning)).isTrue();
		}
	}

	@Test
	void isRunningIsTrueOnlyWhileALoopThreadRunsIt() throws Exception {
		assertThat(this.loop.isRunning()).isFalse();
		AtomicReference<Boolean> duringRun = new AtomicReference<>();
		this.loop.callSoon(() -> {
			duringRun.set(this.loop.isRunning());
			this.loop.stop();
		});

		runForeverBounded(this.loop);

		assertThat(duringRun.get()).isTrue();
		assertThat(this.loop.isRunning()).isFalse();
	}

	@Test
	void closeWhileRunningThrowsAndLeavesTheLoopRunning() throws Exception {
		try (RunningLoop running = new RunningLoop("close-running")) {
			SelectorEventLoop loop = running.loop();

			assertThatThrownBy(loop::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
			Throwable fromInside = running.call(() -> {
				try {
					loop.close();
					return null;
				}
				catch (IllegalStateException ex) {
					return ex;
				}
			});

			assertThat(fromInside).isInstanceOf(IllegalStateException.class);
			assertThat(loop.isClosed()).isFalse();
			assertThat(running.call(() -> "still serving")).isEqualTo("still serving");
		}
	}

	@Test
	void closeIsIdempotent() {
		this.loop.close();
		assertThat(this.loop.isClosed()).isTrue();

		assertThatCode(this.loop::close).doesNotThrowAnyException();
		assertThat(this.loop.isClosed()).isTrue();
		assertThat(this.loop).hasToString("SelectorEventLoop[lifecycle, closed]");
	}

	@Test
	void aClosedLoopRefusesNewWork() {
		this.loop.close();
		Runnable nothing = () -> {
		};

		assertClosed(() -> this.loop.callSoon(nothing));
		assertClosed(() -> this.loop.callSoonThreadsafe(nothing));
		assertClosed(() -> this.loop.execute(nothing));
		assertClosed(() -> this.loop.callLater(Duration.ofMillis(1), nothing));
		assertClosed(() -> this.loop.callAt(this.loop.time(), nothing));
		assertClosed(() -> this.loop.submit(() -> "x"));
		assertClosed(() -> this.loop.runInExecutor(null, () -> "x"));
		assertClosed(this.loop::runForever);
		assertClosed(() -> this.loop.runUntilComplete(new CompletableFuture<>()));
	}

	@Test
	void callSoonFromAnotherThreadOnAStoppedLoopIsQueuedForTheNextRun() {
		AtomicInteger ran = new AtomicInteger();
		// No thread runs the loop: any thread may schedule.
		this.loop.callSoon(ran::incrementAndGet);
		this.loop.callSoon(this.loop::stop);
		assertThat(ran).hasValue(0);

		runForeverBounded(this.loop);

		assertThat(ran).hasValue(1);
	}

	@Test
	void closeRunsTheCallbacksThatClosingResourcesSchedule() {
		List<String> log = new ArrayList<>();
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		this.loop.track(() -> this.loop.callSoon(() -> {
			log.add("connectionLost");
			ranOn.set(Thread.currentThread());
			this.loop.callSoon(() -> log.add("and what that schedules"));
		}));

		this.loop.close();

		assertThat(log).containsExactly("connectionLost", "and what that schedules");
		assertThat(ranOn.get()).isSameAs(Thread.currentThread());
		assertThat(this.loop.isClosed()).isTrue();
	}

	@Test
	void aResourceFailingToCloseIsReportedAndTheOthersStillClose() {
		List<ExceptionContext> errors = new ArrayList<>();
		this.loop.setExceptionHandler((loop, context) -> errors.add(context));
		IllegalStateException failure = new IllegalStateException("cannot close");
		AtomicInteger closed = new AtomicInteger();
		LoopResource failing = new LoopResource() {

			@Override
			public void closeWithLoop() {
				throw failure;
			}

			@Override
			public String toString() {
				return "failing resource";
			}

		};
		this.loop.track(closed::incrementAndGet);
		this.loop.track(failing);
		this.loop.track(closed::incrementAndGet);

		this.loop.close();

		assertThat(closed).hasValue(2);
		assertThat(errors).singleElement().satisfies((context) -> {
			assertThat(context.message()).isEqualTo("Error closing failing resource");
			assertThat(context.exception()).isSameAs(failure);
		});
	}

	@Test
	void untrackedResourcesAreNotClosed() {
		AtomicInteger closed = new AtomicInteger();
		LoopResource resource = closed::incrementAndGet;
		this.loop.track(resource);
		this.loop.untrack(resource);

		this.loop.close();

		assertThat(closed).hasValue(0);
	}

	@Test
	void closeEndsEvenIfClosingCallbacksKeepReschedulingThemselves() {
		AtomicInteger runs = new AtomicInteger();
		Runnable forever = new Runnable() {

			@Override
			public void run() {
				runs.incrementAndGet();
				RunStopCloseTests.this.loop.callSoon(this);
			}

		};
		this.loop.track(() -> this.loop.callSoon(forever));

		this.loop.close();

		assertThat(this.loop.isClosed()).isTrue();
		assertThat(runs.get()).isPositive();
	}

	private void startInBackground() throws Exception {
		this.background = new Thread(this.loop::runForever, "background-loop");
		this.background.start();
		// Queued before or after the loop starts, this runs only once it does.
		assertThat(await(this.loop.submit(this.loop::inEventLoop))).isTrue();
	}

	private static void assertClosed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
		assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
	}

}
