package io.protoloop.loop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import io.protoloop.metrics.LoopRecorder;
import io.protoloop.transport.SubprocessTransport;

/**
 * An asyncio event loop: one thread runs ready callbacks, I/O readiness and due timers, one at a time, so the
 * transports and protocols it runs need no locks. This is what protocols and applications use; the
 * {@code java.nio} implementation is {@code io.protoloop.nio.SelectorEventLoop}, and
 * {@code io.protoloop.nio.EventLoopGroup} runs several on threads of their own.
 *
 * <p>Most methods must be called on the loop thread; {@link #callSoonThreadsafe}, {@link #execute},
 * {@link #submit}, {@link #runInExecutor}, {@link #stop}, {@link #inEventLoop} and the statistics may be called
 * from any thread.
 */
public interface EventLoop extends TransportFactory, Executor, AutoCloseable {

	/**
	 * {@return the loop's name}
	 */
	String name();

	// ---------------------------------------------------------------- scheduling

	/**
	 * {@return the loop's clock in nanoseconds ({@link LoopOptions#clock()}), the time base of {@link #callAt}}
	 */
	long time();

	/**
	 * Schedules {@code callback} to run on the next iteration, after callbacks already scheduled (FIFO).
	 * @param callback what to run
	 * @return a handle that cancels the call
	 * @throws IllegalStateException if called from another thread while the loop runs (use
	 * {@link #callSoonThreadsafe}), or if the loop is closed
	 */
	Handle callSoon(Runnable callback);

	/**
	 * Schedules {@code callback} from any thread, waking the loop only if it is blocked waiting for I/O.
	 * @param callback what to run
	 * @return a handle that cancels the call
	 * @throws IllegalStateException if the loop is closed
	 */
	Handle callSoonThreadsafe(Runnable callback);

	/** Same as {@link #callSoonThreadsafe(Runnable)}, so the loop can serve as an {@link Executor}. */
	@Override
	default void execute(Runnable command) {
		callSoonThreadsafe(command);
	}

	/**
	 * Schedules {@code callback} to run after {@code delay}. Timers with the same deadline run in the order they
	 * were scheduled. A negative delay means now; a delay past the clock's range means never.
	 * @param delay how long from now
	 * @param callback what to run
	 * @return a handle that cancels the timer
	 */
	TimerHandle callLater(Duration delay, Runnable callback);

	/**
	 * Schedules {@code callback} to run at {@code when}, in nanoseconds on the loop's clock ({@link #time()}).
	 * @param when the time to run at, on the loop's clock
	 * @param callback what to run
	 * @return a handle that cancels the timer
	 */
	TimerHandle callAt(long when, Runnable callback);

	/**
	 * Watches a deadline with the loop's one deadline timer, so that many deadlines (one per idle connection, say)
	 * cost no timer each; its {@link Deadline#expired()} runs once the loop's time reaches it (see
	 * {@link Deadline} for how late). Watching a deadline this loop watches already does nothing. Loop thread.
	 * @param deadline the deadline to watch
	 * @throws IllegalStateException if another loop watches it
	 */
	void watch(Deadline deadline);

	/**
	 * Stops watching a deadline, if this loop watches it: its {@code expired()} will not run. Loop thread.
	 * @param deadline the deadline to stop watching
	 */
	void unwatch(Deadline deadline);

	/**
	 * Runs {@code task} on the loop thread, from any thread (at once when called on the loop thread), and
	 * returns its result as a future completed on the loop thread.
	 * @param <T> the result's type
	 * @param task what to run
	 * @return a future of the task's result, completed on the loop thread
	 */
	<T> CompletableFuture<T> submit(Callable<T> task);

	/**
	 * Runs blocking work on {@code executor} (the loop's default executor when {@code null}) and completes the
	 * returned future on the loop thread.
	 * @param <T> the result's type
	 * @param executor where to run it, or {@code null} for the loop's default executor
	 * @param task what to run
	 * @return a future of the task's result, completed on the loop thread
	 */
	<T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> task);

	/**
	 * Sets the executor {@link #runInExecutor} uses when given none, as asyncio's {@code set_default_executor}.
	 * The loop does not shut it down: whoever made it does. May be called from any thread.
	 * @param executor the executor, or {@code null} for the loop's own pool again
	 */
	void setDefaultExecutor(Executor executor);

	/**
	 * {@return {@code true} if the calling thread is the thread running this loop}
	 */
	boolean inEventLoop();

	// ---------------------------------------------------------------- running

	/**
	 * Runs the loop on the calling thread until {@link #stop()} is called. If {@code stop()} was called before,
	 * runs a single iteration (polling for I/O without waiting) and returns.
	 * @throws IllegalStateException if the loop is closed or already running
	 */
	void runForever();

	/**
	 * Runs the loop until {@code future} completes, then returns its value.
	 * @param <T> the result's type
	 * @param future the future to wait for
	 * @return the future's value
	 * @throws ExecutionException if the future completed exceptionally
	 */
	<T> T runUntilComplete(CompletionStage<T> future) throws ExecutionException;

	/**
	 * Asks the loop to return from {@link #runForever()} once the current iteration is done. May be called from
	 * any thread; idempotent.
	 */
	void stop();

	/**
	 * {@return {@code true} while a thread runs the loop}
	 */
	boolean isRunning();

	/**
	 * {@return {@code true} once {@link #close()} has completed}
	 */
	boolean isClosed();

	/**
	 * Closes the loop: closes its servers, aborts its transports and runs the callbacks that follow (so every
	 * protocol sees {@code connectionLost}), then releases its resources. Idempotent.
	 * @throws IllegalStateException if the loop is running
	 */
	@Override
	void close();

	// ---------------------------------------------------------------- errors and debug mode

	/**
	 * Installs the exception handler; {@code null} restores the default, which logs.
	 * @param handler the handler, or {@code null} for the default
	 */
	void setExceptionHandler(ExceptionHandler handler);

	/**
	 * {@return the installed exception handler, or {@code null} when the default is in use}
	 */
	ExceptionHandler getExceptionHandler();

	/**
	 * Reports an error to the exception handler. Never throws: if the handler throws, both errors are logged.
	 * @param context what happened
	 */
	void callExceptionHandler(ExceptionContext context);

	/**
	 * The default exception handler: logs the context at ERROR level with the exception. Never throws.
	 * @param context what happened
	 */
	void defaultExceptionHandler(ExceptionContext context);

	/**
	 * {@return {@code true} if debug mode is on}
	 */
	boolean isDebug();

	/**
	 * Turns debug mode on or off: when on, callbacks slower than the slow-callback duration are logged.
	 * @param debug {@code true} to turn debug mode on
	 */
	void setDebug(boolean debug);

	/**
	 * {@return the threshold over which a callback counts as slow}
	 */
	Duration getSlowCallbackDuration();

	/**
	 * Sets the threshold over which a callback counts as slow (and debug mode logs it).
	 * @param duration zero or more; {@link LoopOptions#DEFAULT_SLOW_CALLBACK_DURATION} (100 ms) unless set
	 * @throws IllegalArgumentException if {@code duration} is null or negative
	 */
	void setSlowCallbackDuration(Duration duration);

	// ---------------------------------------------------------------- statistics (any thread)

	/**
	 * Installs the recorder told about timer lag and slow callbacks; {@code null} restores none.
	 * @param recorder the recorder, or {@code null} for none
	 */
	void setRecorder(LoopRecorder recorder);

	/**
	 * {@return the time spent running callbacks and I/O handlers so far, in nanoseconds}
	 */
	long busyNanos();

	/**
	 * {@return the time spent waiting for I/O so far, in nanoseconds}
	 */
	long idleNanos();

	/**
	 * {@return how many callbacks and I/O handlers ran longer than the slow-callback duration}
	 */
	long slowCallbacks();

	/**
	 * {@return the callbacks ready to run and the timers scheduled, as of the last iteration}
	 */
	int pendingTasks();

	/**
	 * {@return the number of timers scheduled and not cancelled} Loop thread.
	 */
	int pendingTimers();

	/** {@return how many deadlines the loop watches} They share one timer, counted in {@link #pendingTimers()}. Loop thread. */
	int watchedDeadlines();

	/**
	 * {@return how long the loop has been busy with its current iteration, or zero while it waits for I/O} A large
	 * value means a callback is blocking the loop.
	 */
	Duration currentIterationTime();

	/**
	 * {@return how many child-process transports of this loop have not ended} A child counts from its start
	 * until its {@code connectionLost}, which follows its exit and the end of its pipes.
	 */
	int runningChildren();

	/**
	 * {@return how many pipe transports of this loop are open} They are the pipes of its children and those made
	 * by {@code connectReadPipe}/{@code connectWritePipe}.
	 */
	int openPipes();

	// ---------------------------------------------------------------- children (loop thread)

	/**
	 * Returns the child-process transports of this loop that have not ended, oldest first, so an application
	 * shutting down can end them ({@code terminate}, then {@code kill}). Loop thread.
	 * @return a copy, which stays as it is while children start and end
	 */
	List<SubprocessTransport> subprocesses();

}
