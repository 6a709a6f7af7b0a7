package io.protoloop.loop;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.protoloop.metrics.LoopRecorder;

/**
 * Everything an event loop does except I/O, after CPython's {@code BaseEventLoop}: the ready queue and the
 * thread-safe submission queue, timers on the loop's {@link LoopClock}, running and stopping, the exception
 * handler, debug mode and the statistics. A subclass adds the I/O: {@link #poll} waits for readiness and runs
 * the handlers of what is ready, {@link #wakeup} interrupts a waiting poll, and the transport factories.
 *
 * <p>Each iteration runs, in order, as CPython's {@code _run_once}: the callbacks that were ready before it
 * (scheduled from any thread, in the order they were scheduled), then the I/O handlers of its poll, then the
 * timers that came due. Callbacks scheduled meanwhile wait for the next iteration, so a callback that
 * reschedules itself cannot starve I/O, and {@code callSoon(transport::pauseReading)} takes effect before the
 * next {@code dataReceived}.
 *
 * <p>Long because it is the whole of asyncio's loop contract except I/O (scheduling, running, closing,
 * errors, debug mode); the statistics ({@code LoopStatistics}) and the executor ({@code DefaultExecutor}) are
 * classes of their own, and the rest is one state machine (thread, stopping, closed) best read in one place.
 */
public abstract class BaseEventLoop implements EventLoop {

	private static final System.Logger logger = System.getLogger(BaseEventLoop.class.getName());

	private final String name;

	private final LoopClock clock;

	/** Callbacks ready to run; touched only by the loop thread. */
	private final ArrayDeque<Handle> ready = new ArrayDeque<>();

	/** Callbacks submitted from other threads, moved to {@link #ready} once per iteration. */
	private final ConcurrentLinkedQueue<Handle> incoming = new ConcurrentLinkedQueue<>();

	/** Set just before a blocking poll: a submitter that clears it must wake the loop. */
	private final AtomicBoolean wakeupNeeded = new AtomicBoolean();

	private final TimerQueue timers = new TimerQueue();

	private final DeadlineList deadlines = new DeadlineList(this);

	/** The timers due in the current iteration, taken off the heap before any runs: reused, never reallocated. */
	private final ArrayDeque<Handle> dueTimers = new ArrayDeque<>();

	private final LoopStatistics statistics;

	private volatile Thread thread;

	private volatile boolean stopping;

	private volatile boolean closed;

	private volatile ExceptionHandler exceptionHandler;

	private final DefaultExecutor defaultExecutor = new DefaultExecutor(this);

	/**
	 * Creates a loop with the given options. It does not run until {@link #runForever()} is called.
	 * @param options the loop's options
	 */
	protected BaseEventLoop(LoopOptions options) {
		this.name = options.name();
		this.clock = options.clock();
		this.statistics = new LoopStatistics(options);
	}

	// ---------------------------------------------------------------- for the I/O subclass

	/**
	 * Waits for I/O readiness and runs the handlers of what is ready, each between {@link #beginCallback()} and
	 * {@link #endCallback(Object)}.
	 * @param timeoutNanos how long to wait at most: 0 polls without waiting, a negative value waits until ready
	 * or {@link #wakeup()}
	 */
	protected abstract void poll(long timeoutNanos);

	/** Makes a waiting {@link #poll} return. Called from any thread. */
	protected abstract void wakeup();

	/**
	 * Called by {@link #close()} on the closing thread: closes the servers and aborts the transports of this
	 * loop. The callbacks this schedules (their {@code connectionLost} calls) run before {@link #closeIo()}.
	 */
	protected abstract void closeResources();

	/** Releases the I/O resources (the selector) once every callback has run. */
	protected abstract void closeIo();

	/** Marks the start of an I/O handler, for the busy time, the stall watch and the slow-callback check. */
	protected final void beginCallback() {
		this.statistics.handlerStarted();
	}

	/**
	 * Marks the end of an I/O handler: counts it as slow if it ran past the slow-callback duration.
	 * @param what the handler, named in the slow-callback log
	 */
	protected final void endCallback(Object what) {
		this.statistics.callbackEnded(what);
	}

	/**
	 * Reports an error that escaped a callback or an I/O handler to the exception handler; a
	 * {@link VirtualMachineError} is rethrown.
	 * @param message what failed
	 * @param ex what the callback or handler threw
	 * @param what the handler, named in the slow-callback log
	 */
	protected final void callbackFailed(String message, Throwable ex, Object what) {
		rethrowIfFatal(ex);
		callExceptionHandler(new ExceptionContext(message, ex, null, null, what));
	}

	// ---------------------------------------------------------------- scheduling

	@Override
	public final String name() {
		return this.name;
	}

	@Override
	public final long time() {
		return this.clock.nanoTime();
	}

	@Override
	public Handle callSoon(Runnable callback) {
		Handle handle = new Handle(Objects.requireNonNull(callback, "callback"));
		if (inEventLoop()) {
			checkOpen();
			// Behind callbacks other threads scheduled before this one: one FIFO order, as in asyncio.
			drainIncoming();
			this.ready.add(handle);
		}
		else {
			checkNotRunningElsewhere("callSoon");
			enqueueThreadsafe(handle);
		}
		return handle;
	}

	@Override
	public Handle callSoonThreadsafe(Runnable callback) {
		Handle handle = new Handle(Objects.requireNonNull(callback, "callback"));
		enqueueThreadsafe(handle);
		return handle;
	}

	@Override
	public TimerHandle callLater(Duration delay, Runnable callback) {
		long now = time();
		long when;
		try {
			when = Math.addExact(now, Math.max(0, delay.toNanos()));
		}
		catch (ArithmeticException tooLong) {
			when = delay.isNegative() ? now : Long.MAX_VALUE;
		}
		return callAt(when, callback);
	}

	@Override
	public TimerHandle callAt(long when, Runnable callback) {
		Objects.requireNonNull(callback, "callback");
		checkOpen();
		if (!inEventLoop()) {
			checkNotRunningElsewhere("callAt");
		}
		return this.timers.add(callback, when);
	}

	@Override
	public void watch(Deadline deadline) {
		Objects.requireNonNull(deadline, "deadline");
		checkOpen();
		if (!inEventLoop()) {
			checkNotRunningElsewhere("watch");
		}
		this.deadlines.add(deadline);
	}

	@Override
	public void unwatch(Deadline deadline) {
		if (!inEventLoop()) {
			checkNotRunningElsewhere("unwatch");
		}
		this.deadlines.remove(deadline);
	}

	@Override
	public <T> CompletableFuture<T> submit(Callable<T> task) {
		CompletableFuture<T> result = new CompletableFuture<>();
		Runnable run = () -> {
			try {
				result.complete(task.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		};
		if (inEventLoop()) {
			run.run();
		}
		else {
			callSoonThreadsafe(run);
		}
		return result;
	}

	@Override
	public <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> task) {
		return this.defaultExecutor.run(executor, task);
	}

	@Override
	public void setDefaultExecutor(Executor executor) {
		this.defaultExecutor.setExecutor(executor);
	}

	@Override
	public final boolean inEventLoop() {
		return Thread.currentThread() == this.thread;
	}

	// ---------------------------------------------------------------- running

	@Override
	public void runForever() {
		checkOpen();
		synchronized (this) {
			if (this.thread != null) {
				throw new IllegalStateException("Event loop '" + this.name + "' is already running");
			}
			this.thread = Thread.currentThread();
		}
		try {
			// At least one iteration: stop() before runForever() polls once and runs what is ready (asyncio).
			do {
				runOnce();
			}
			while (!this.stopping);
		}
		finally {
			this.stopping = false;
			this.thread = null;
		}
	}

	@Override
	public <T> T runUntilComplete(CompletionStage<T> future) throws ExecutionException {
		CompletableFuture<T> done = future.toCompletableFuture();
		if (!done.isDone()) {
			// Stop the loop when the future completes, but only while this call runs it (asyncio removes its
			// done callback too): a later completion must not stop a later run, or a run on another thread.
			AtomicBoolean running = new AtomicBoolean(true);
			done.whenComplete((value, ex) -> {
				if (running.get()) {
					stop();
				}
			});
			try {
				runForever();
			}
			finally {
				running.set(false);
			}
		}
		try {
			return done.get(0, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Event loop stopped before the future completed", ex);
		}
	}

	@Override
	public void stop() {
		this.stopping = true;
		if (!inEventLoop()) {
			wakeup();
		}
	}

	@Override
	public final boolean isRunning() {
		return this.thread != null;
	}

	@Override
	public final boolean isClosed() {
		return this.closed;
	}

	/**
	 * {@inheritDoc} The calling thread acts as the loop thread meanwhile; the default executor is shut down
	 * last.
	 */
	@Override
	public void close() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			if (this.thread != null) {
				throw new IllegalStateException("Cannot close a running event loop ('" + this.name + "')");
			}
			this.thread = Thread.currentThread();
		}
		try {
			closeResources();
			this.statistics.workStarted();
			// Deliver what the closes scheduled (connectionLost calls); bounded in case callbacks keep rescheduling.
			for (int round = 0; round < 1000 && !(this.ready.isEmpty() && this.incoming.isEmpty()); round++) {
				drainIncoming();
				runReady();
			}
			this.closed = true;
			// What other threads queued while the last round ran (see enqueueThreadsafe).
			drainIncoming();
			runReady();
			closeIo();
		}
		finally {
			this.closed = true;
			this.thread = null;
			this.defaultExecutor.shutdown();
		}
	}

	private void runOnce() {
		this.statistics.workStarted();
		long timersBefore = this.timers.nextSequence();
		drainIncoming();
		runReady();
		long timeoutNanos = 0;
		if (this.ready.isEmpty() && this.incoming.isEmpty()) {
			long deadline = this.timers.nextDeadline();
			if (deadline == Long.MAX_VALUE) {
				timeoutNanos = -1;
			}
			else {
				timeoutNanos = Math.max(0, deadline - time());
				if (timeoutNanos > 0 && this.clock.skipTo(deadline)) {
					timeoutNanos = 0;
				}
			}
		}
		// A callback that left the thread interrupted would make every wait return at once: a busy spin.
		Thread.interrupted();
		long pollStart = this.statistics.pollStarted();
		pollOrWait(timeoutNanos);
		this.statistics.pollEnded(pollStart);
		this.timers.moveExpired(time(), timersBefore, this.dueTimers, this.statistics.recorder);
		Handle timer;
		while ((timer = this.dueTimers.poll()) != null) {
			run(timer);
		}
		this.statistics.iterationEnded(this.ready.size() + this.incoming.size() + this.timers.size());
	}

	private void pollOrWait(long timeoutNanos) {
		if (timeoutNanos == 0 || this.stopping) {
			poll(0);
			return;
		}
		this.wakeupNeeded.set(true);
		try {
			poll((!this.incoming.isEmpty() || this.stopping) ? 0 : timeoutNanos);
		}
		finally {
			this.wakeupNeeded.set(false);
		}
	}

	private void drainIncoming() {
		Handle handle;
		while ((handle = this.incoming.poll()) != null) {
			this.ready.add(handle);
		}
	}

	private void runReady() {
		// Only what was ready when the pass began: callbacks scheduled meanwhile wait for the next iteration.
		for (int todo = this.ready.size(); todo > 0; todo--) {
			run(this.ready.poll());
		}
	}

	private void run(Handle handle) {
		if (handle.isCancelled()) {
			return;
		}
		try {
			handle.callback().run();
		}
		catch (Throwable ex) {
			callbackFailed("Exception in callback", ex, handle);
		}
		this.statistics.callbackEnded(handle);
	}

	private void enqueueThreadsafe(Handle handle) {
		checkOpen();
		this.incoming.add(handle);
		// close() sets closed, then runs what is queued one last time: if it closed meanwhile and did not take
		// this handle, the handle would never run, so the caller must hear the loop is closed.
		if (this.closed && this.incoming.remove(handle)) {
			checkOpen();
		}
		if (this.wakeupNeeded.compareAndSet(true, false)) {
			wakeup();
		}
	}

	/** Throws {@link IllegalStateException} if the loop is closed. */
	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("Event loop '" + this.name + "' is closed");
		}
	}

	private void checkNotRunningElsewhere(String method) {
		// Read once: the loop may stop (and clear the field) between two reads.
		Thread loopThread = this.thread;
		if (loopThread != null) {
			throw new IllegalStateException(method + "() called from thread '" + Thread.currentThread().getName()
					+ "' while event loop '" + this.name + "' runs on '" + loopThread.getName()
					+ "': use callSoonThreadsafe()");
		}
	}

	// ---------------------------------------------------------------- errors and debug mode

	@Override
	public void setExceptionHandler(ExceptionHandler handler) {
		this.exceptionHandler = handler;
	}

	@Override
	public ExceptionHandler getExceptionHandler() {
		return this.exceptionHandler;
	}

	@Override
	public void callExceptionHandler(ExceptionContext context) {
		ExceptionHandler handler = this.exceptionHandler;
		if (handler == null) {
			defaultExceptionHandler(context);
			return;
		}
		try {
			handler.handle(this, context);
		}
		catch (Throwable ex) {
			rethrowIfFatal(ex);
			logger.log(Level.ERROR, "Unhandled error in exception handler of event loop '" + this.name + "'", ex);
			defaultExceptionHandler(context);
		}
	}

	@Override
	public void defaultExceptionHandler(ExceptionContext context) {
		String description;
		try {
			description = context.describe();
		}
		catch (RuntimeException ex) {
			// describe() calls toString() on the transport, protocol and callback: user code, which may fail.
			description = context.message() + " (could not describe the context: " + ex + ")";
		}
		logger.log(Level.ERROR, "[" + this.name + "] " + description, context.exception());
	}

	@Override
	public boolean isDebug() {
		return this.statistics.debug;
	}

	@Override
	public void setDebug(boolean debug) {
		this.statistics.debug = debug;
	}

	@Override
	public Duration getSlowCallbackDuration() {
		return Duration.ofNanos(this.statistics.slowCallbackNanos);
	}

	@Override
	public void setSlowCallbackDuration(Duration duration) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + duration);
		}
		this.statistics.slowCallbackNanos = duration.toNanos();
	}

	// ---------------------------------------------------------------- statistics

	@Override
	public void setRecorder(LoopRecorder recorder) {
		this.statistics.recorder = (recorder != null) ? recorder : LoopRecorder.NONE;
	}

	@Override
	public long busyNanos() {
		return this.statistics.busyNanos();
	}

	@Override
	public long idleNanos() {
		return this.statistics.idleNanos();
	}

	@Override
	public long slowCallbacks() {
		return this.statistics.slowCallbacks();
	}

	@Override
	public int pendingTasks() {
		return this.statistics.pendingTasks;
	}

	@Override
	public int pendingTimers() {
		return this.timers.size();
	}

	@Override
	public int watchedDeadlines() {
		return this.deadlines.size();
	}

	@Override
	public Duration currentIterationTime() {
		return isRunning() ? this.statistics.currentIterationTime() : Duration.ZERO;
	}

	static void rethrowIfFatal(Throwable ex) {
		if (ex instanceof VirtualMachineError error) {
			throw error;
		}
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.name + (isRunning() ? ", running" : "")
				+ (this.closed ? ", closed" : "") + (isDebug() ? ", debug" : "") + "]";
	}

}
