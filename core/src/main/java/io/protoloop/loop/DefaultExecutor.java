package io.protoloop.loop;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link EventLoop#runInExecutor}: blocking work off the loop thread, its result handed back to the loop. The
 * loop's own pool (asyncio's default executor: min(32, processors + 4) daemon threads that time out when idle)
 * is created on first use and shut down with the loop, unless an executor was set, which its owner shuts down.
 */
final class DefaultExecutor {

	private final EventLoop loop;

	private ExecutorService pool;

	/** The executor set with {@link #setExecutor}, used instead of the pool. */
	private volatile Executor executor;

	private boolean shutDown;

	DefaultExecutor(EventLoop loop) {
		this.loop = loop;
	}

	/** Runs {@code task} on {@code executor}, or on the loop's pool when {@code null}; completes on the loop. */
	<T> CompletableFuture<T> run(Executor executor, Callable<T> task) {
		Executor configured = this.executor;
		Executor target = (executor != null) ? executor : (configured != null) ? configured : pool();
		CompletableFuture<T> result = new CompletableFuture<>();
		target.execute(() -> {
			T value = null;
			Throwable failure = null;
			try {
				value = task.call();
			}
			catch (Throwable ex) {
				failure = ex;
			}
			completeOnLoop(result, value, failure);
		});
		return result;
	}

	private <T> void completeOnLoop(CompletableFuture<T> future, T value, Throwable failure) {
		Runnable complete = () -> {
			if (failure != null) {
				future.completeExceptionally(failure);
			}
			else {
				future.complete(value);
			}
		};
		try {
			this.loop.callSoonThreadsafe(complete);
		}
		catch (IllegalStateException closedLoop) {
			complete.run();
		}
	}

	private synchronized ExecutorService pool() {
		if (this.shutDown || this.loop.isClosed()) {
			throw new IllegalStateException("Event loop '" + this.loop.name() + "' is closed");
		}
		if (this.pool == null) {
			int threads = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
			AtomicInteger count = new AtomicInteger();
			ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
					new LinkedBlockingQueue<>(), (task) -> {
						Thread worker = new Thread(task, this.loop.name() + "-executor-" + count.incrementAndGet());
						worker.setDaemon(true);
						return worker;
					});
			executor.allowCoreThreadTimeOut(true);
			this.pool = executor;
		}
		return this.pool;
	}

	/** Sets the executor used when {@link #run} is given none; {@code null} goes back to the pool. */
	void setExecutor(Executor executor) {
		this.executor = executor;
	}

	/** Stops the pool's threads; later {@link #run} calls without an executor fail. */
	synchronized void shutdown() {
		this.shutDown = true;
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
	}

}
