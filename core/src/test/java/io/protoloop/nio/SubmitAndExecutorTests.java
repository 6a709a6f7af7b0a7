package io.protoloop.nio;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.EventLoop;
import io.protoloop.testing.RunningLoop;

import static io.protoloop.nio.CallSoonTests.awaitQuietly;
import static io.protoloop.nio.LoopTesting.TIMEOUT;
import static io.protoloop.nio.LoopTesting.await;
import static io.protoloop.nio.LoopTesting.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code submit} (work onto the loop thread) and {@code runInExecutor} (blocking work off it, completed back on
 * it), and the default executor's lifetime.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class SubmitAndExecutorTests {

	@Test
	void submitFromAnotherThreadRunsOnTheLoopThreadAndCompletesWithTheResult() throws Exception {
		try (RunningLoop running = new RunningLoop("submit")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);

			CompletableFuture<Thread> ranOn = loop.submit(Thread::currentThread);

			assertThat(await(ranOn)).isSameAs(loopThread).isNotSameAs(Thread.currentThread());
		}
	}

	@Test
	void submitCompletesExceptionallyWithWhatTheTaskThrows() throws Exception {
		try (RunningLoop running = new RunningLoop("submit-failure")) {
			IOException failure = new IOException("task failed");

			CompletableFuture<Object> result = running.loop().submit(() -> {
				throw failure;
			});

			assertThatThrownBy(() -> await(result)).isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
			// Handed to the caller, not to the exception handler.
			assertThat(running.call(() -> "alive")).isEqualTo("alive");
			assertThat(running.errors()).isEmpty();
		}
	}

	@Test
	void submitOnTheLoopThreadRunsTheTaskAtOnce() throws Exception {
		try (RunningLoop running = new RunningLoop("submit-inline")) {
			SelectorEventLoop loop = running.loop();

			boolean doneAtOnce = running.call(() -> loop.submit(() -> "inline").isDone());

			assertThat(doneAtOnce).isTrue();
		}
	}

	@Test
	void runInExecutorRunsTheTaskOffTheLoopThreadAndCompletesTheFutureOnIt() throws Exception {
		try (RunningLoop running = new RunningLoop("executor")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);
			CountDownLatch observed = new CountDownLatch(1);
			CompletableFuture<Thread> completedOn = new CompletableFuture<>();

			CompletableFuture<Thread> taskThread = running.call(() -> loop.runInExecutor(null, () -> {
				// Finish only once the test watches the future, so the dependent stage runs where it completes.
				awaitQuietly(observed);
				return Thread.currentThread();
			}));
			taskThread.whenComplete((thread, ex) -> completedOn.complete(Thread.currentThread()));
			observed.countDown();

			// First: a thread blocked in get() on taskThread may itself run the dependent stage once woken.
			assertThat(await(completedOn)).isSameAs(loopThread);
			Thread worker = taskThread.getNow(null);
			assertThat(worker).isNotNull().isNotSameAs(loopThread);
			assertThat(worker.getName()).startsWith(loop.name() + "-executor-");
			assertThat(worker.isDaemon()).isTrue();
		}
	}

	@Test
	void runInExecutorPropagatesTheTasksExceptionOnTheLoopThread() throws Exception {
		try (RunningLoop running = new RunningLoop("executor-failure")) {
			SelectorEventLoop loop = running.loop();
			Thread loopThread = running.call(Thread::currentThread);
			IOException failure = new IOException("blocking call failed");
			CountDownLatch observed = new CountDownLatch(1);
			CompletableFuture<Thread> completedOn = new CompletableFuture<>();

			CompletableFuture<String> result = loop.runInExecutor(null, () -> {
				awaitQuietly(observed);
				throw failure;
			});
			result.whenComplete((value, ex) -> completedOn.complete(Thread.currentThread()));
			observed.countDown();

			assertThat(await(completedOn)).isSameAs(loopThread);
			assertThatThrownBy(() -> await(result)).isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
			assertThat(running.errors()).isEmpty();
		}
	}

	@Test
	void runInExecutorUsesTheGivenExecutor() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor((task) -> new Thread(task, "given-executor"));
		try (RunningLoop running = new RunningLoop("given")) {
			Thread ranOn = await(running.loop().runInExecutor(executor, Thread::currentThread));

			assertThat(ranOn.getName()).isEqualTo("given-executor");
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		}
	}

	@Test
	void aDefaultExecutorSetOnTheLoopRunsTasksGivenNoExecutorAndOutlivesTheLoop() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor((task) -> new Thread(task, "set-executor"));
		try {
			try (RunningLoop running = new RunningLoop("set-default")) {
				running.loop().setDefaultExecutor(executor);

				assertThat(await(running.loop().runInExecutor(null, Thread::currentThread)).getName())
					.isEqualTo("set-executor");

				running.loop().setDefaultExecutor(null);
				assertThat(await(running.loop().runInExecutor(null, Thread::currentThread)).getName())
					.startsWith(running.loop().name() + "-executor-");
			}
			// Its owner shuts it down, not the loop.
			assertThat(executor.isShutdown()).isFalse();
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		}
	}

	@Test
	void closeReleasesTheDefaultExecutorThreads() throws Exception {
		SelectorEventLoop loop = new SelectorEventLoop("release");
		Thread worker;
		try {
			worker = loop.runUntilComplete(loop.runInExecutor(null, Thread::currentThread));
			assertThat(worker.isAlive()).isTrue();
		}
		finally {
			loop.close();
		}

		join(worker);
	}

	@Test
	void aTaskFinishingAfterTheLoopClosedStillCompletesItsFuture() throws Exception {
		SelectorEventLoop loop = new SelectorEventLoop("closed-meanwhile");
		ExecutorService executor = Executors.newSingleThreadExecutor();
		CountDownLatch release = new CountDownLatch(1);
		try {
			CompletableFuture<String> result = loop.runInExecutor(executor, () -> {
				awaitQuietly(release);
				return "late";
			});
			loop.close();
			release.countDown();

			// No loop left to complete it on: it completes on the executor's thread rather than never.
			assertThat(await(result)).isEqualTo("late");
		}
		finally {
			release.countDown();
			executor.shutdownNow();
			loop.close();
		}
	}

}
