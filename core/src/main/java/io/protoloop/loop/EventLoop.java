package io.protoloop.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.protoloop.metrics.LoopRecorder;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.Connector;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tcp.SocketServer;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.udp.DatagramEndpoints;
import io.protoloop.udp.DatagramOptions;

/**
 * An asyncio event loop on a {@link Selector}: one thread runs ready callbacks, due timers and I/O readiness,
 * one at a time, so the transports and protocols it runs need no locks.
 *
 * <p>Each iteration runs, in order: the I/O handlers of ready channels; the callbacks scheduled so far, from any
 * thread, in the order they were scheduled (as in asyncio, where both kinds share one queue); then the timers
 * that are due. Callbacks scheduled meanwhile by callbacks and timers wait for the next iteration, so a callback
 * that reschedules itself cannot starve I/O. Most methods must be called on the loop thread;
 * {@link #callSoonThreadsafe}, {@link #execute}, {@link #submit}, {@link #stop} and {@link #inEventLoop} may be
 * called from any thread.
 *
 * <p>Run it with {@link #runForever()} or {@link #runUntilComplete}, or let an {@link EventLoopGroup} run
 * several on threads of their own.
 */
public final class EventLoop implements Executor {

	private static final System.Logger logger = System.getLogger(EventLoop.class.getName());

	/** Size of the loop's shared read buffer: the most one read can return. */
	private static final int READ_BUFFER_SIZE = 64 * 1024;

	/** Most buffers handed to one gathering write. */
	private static final int MAX_GATHER = 1024;

	private final String name;

	private final Selector selector;

	/** Callbacks ready to run; touched only by the loop thread. */
	private final ArrayDeque<Handle> ready = new ArrayDeque<>();

	/** Callbacks submitted from other threads, moved to {@link #ready} once per iteration. */
	private final ConcurrentLinkedQueue<Handle> incoming = new ConcurrentLinkedQueue<>();

	/** Set just before a blocking select: a submitter that clears it must wake the selector. */
	private final AtomicBoolean wakeupNeeded = new AtomicBoolean();

	private final TimerQueue timers = new TimerQueue();

	private final Set<LoopResource> resources = Collections.newSetFromMap(new IdentityHashMap<>());

	private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

	private final ByteBuffer writeStagingBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

	/** Created once: a method reference evaluated per select would allocate on every iteration. */
	private final Consumer<SelectionKey> keyHandler = this::processKey;

	private final ByteBuffer[] gatherArray = new ByteBuffer[MAX_GATHER];

	private volatile Thread thread;

	private volatile boolean stopping;

	private volatile boolean closed;

	private volatile boolean debug;

	private volatile long slowCallbackNanos;

	private volatile ExceptionHandler exceptionHandler;

	private ExecutorService defaultExecutor;

	private volatile LoopRecorder recorder = LoopRecorder.NONE;

	// Statistics, always kept; written by the loop thread only, volatile so that other threads can read them.

	/** When the work of the current iteration began, or 0 while waiting in select. */
	private volatile long busySince;

	private volatile long busyNanos;

	private volatile long idleNanos;

	private volatile long slowCallbacks;

	private volatile int pendingTasks;

	/** When the callback or handler now running began: one clock read per callback serves both ends. */
	private long callbackStart;

	/** Creates a loop with the given options. It does not run until {@link #runForever()} is called. */
	public EventLoop(LoopOptions options) {
		this.name = options.name();
		this.debug = options.debug();
		this.slowCallbackNanos = options.slowCallbackDuration().toNanos();
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not open a selector for event loop '" + this.name + "'", ex);
		}
	}

	/** Creates a loop named {@code name} with default options. */
	public EventLoop(String name) {
		this(LoopOptions.named(name));
	}

	/** Returns the loop's name. */
	public String name() {
		return this.name;
	}

	// ---------------------------------------------------------------- scheduling

	/** Returns the loop's clock: monotonic nanoseconds, the time base of {@link #callAt}. */
	public long time() {
		return System.nanoTime();
	}

	/**
	 * Schedules {@code callback} to run on the next iteration, after callbacks already scheduled (FIFO).
	 * @throws IllegalStateException if called from another thread while the loop runs (use
	 * {@link #callSoonThreadsafe}), or if the loop is closed
	 */
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

	/**
	 * Schedules {@code callback} from any thread, waking the loop only if it is blocked waiting for I/O.
	 * @throws IllegalStateException if the loop is closed
	 */
	public Handle callSoonThreadsafe(Runnable callback) {
		Handle handle = new Handle(Objects.requireNonNull(callback, "callback"));
		enqueueThreadsafe(handle);
		return handle;
	}

	/** Same as {@link #callSoonThreadsafe(Runnable)}, so the loop can serve as an {@link Executor}. */
	@Override
	public void execute(Runnable command) {
		callSoonThreadsafe(command);
	}

	/**
	 * Schedules {@code callback} to run after {@code delay}. Timers with the same deadline run in the order they
	 * were scheduled. A negative delay means now; a delay past the clock's range means never.
	 */
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

	/** Schedules {@code callback} to run at {@code when}, in nanoseconds on the loop's clock ({@link #time()}). */
	public TimerHandle callAt(long when, Runnable callback) {
		Objects.requireNonNull(callback, "callback");
		checkOpen();
		if (!inEventLoop()) {
			checkNotRunningElsewhere("callAt");
		}
		return this.timers.add(callback, when);
	}

	/**
	 * Runs {@code task} on the loop thread, from any thread, and returns its result as a future completed on the
	 * loop thread.
	 */
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

	/**
	 * Runs blocking work on {@code executor} (the loop's default executor when {@code null}) and completes the
	 * returned future on the loop thread.
	 */
	public <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> task) {
		Executor target = (executor != null) ? executor : defaultExecutor();
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

	/** Returns {@code true} if the calling thread is the thread running this loop. */
	public boolean inEventLoop() {
		return Thread.currentThread() == this.thread;
	}

	// ---------------------------------------------------------------- running

	/**
	 * Runs the loop on the calling thread until {@link #stop()} is called. If {@code stop()} was called before,
	 * runs a single iteration (polling the selector without waiting) and returns.
	 * @throws IllegalStateException if the loop is closed or already running
	 */
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

	/**
	 * Runs the loop until {@code future} completes, then returns its value.
	 * @throws ExecutionException if the future completed exceptionally
	 */
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
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("Event loop stopped before the future completed", ex);
		}
	}

	/**
	 * Asks the loop to return from {@link #runForever()} once the current iteration is done. May be called from
	 * any thread; idempotent.
	 */
	public void stop() {
		this.stopping = true;
		if (!inEventLoop()) {
			this.selector.wakeup();
		}
	}

	/** Returns {@code true} while a thread runs the loop. */
	public boolean isRunning() {
		return this.thread != null;
	}

	/** Returns {@code true} once {@link #close()} has completed. */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Closes the loop: closes its servers, aborts its transports and runs the callbacks that follow (so every
	 * protocol sees {@code connectionLost}), then releases the selector and the default executor. The calling
	 * thread acts as the loop thread meanwhile. Idempotent.
	 * @throws IllegalStateException if the loop is running
	 */
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
			List<LoopResource> open = new ArrayList<>(this.resources);
			open.sort((a, b) -> Boolean.compare(!(a instanceof Server), !(b instanceof Server)));
			for (LoopResource resource : open) {
				try {
					resource.closeWithLoop();
				}
				catch (RuntimeException ex) {
					callExceptionHandler(new ExceptionContext("Error closing " + resource, ex, null, null, null));
				}
			}
			this.callbackStart = System.nanoTime();
			// Deliver what the closes scheduled (connectionLost calls); bounded in case callbacks keep rescheduling.
			for (int round = 0; round < 1000 && !(this.ready.isEmpty() && this.incoming.isEmpty()); round++) {
				drainIncoming();
				runReady();
			}
			this.closed = true;
			// What other threads queued while the last round ran (see enqueueThreadsafe).
			drainIncoming();
			runReady();
			this.selector.close();
		}
		catch (IOException ex) {
			logger.log(Level.WARNING, "Error closing the selector of event loop '" + this.name + "'", ex);
		}
		finally {
			this.closed = true;
			this.thread = null;
			synchronized (this) {
				if (this.defaultExecutor != null) {
					this.defaultExecutor.shutdownNow();
				}
			}
		}
	}

	private void runOnce() {
		// What other threads scheduled before this iteration goes ahead of what the I/O handlers add in it.
		drainIncoming();
		long timeoutNanos = 0;
		if (this.ready.isEmpty() && this.incoming.isEmpty()) {
			long deadline = this.timers.nextDeadline();
			timeoutNanos = (deadline == Long.MAX_VALUE) ? -1 : Math.max(0, deadline - time());
		}
		// A callback that left the thread interrupted would make every select return at once: a busy spin.
		Thread.interrupted();
		long selectStart = System.nanoTime();
		this.busySince = 0;
		select(timeoutNanos);
		long workStart = System.nanoTime();
		this.busySince = workStart;
		this.callbackStart = workStart;
		this.idleNanos += workStart - selectStart;
		drainIncoming();
		this.timers.moveExpired(workStart, this.ready, this.recorder);
		runReady();
		this.busyNanos += System.nanoTime() - workStart;
		this.pendingTasks = this.ready.size() + this.timers.size();
	}

	private void select(long timeoutNanos) {
		try {
			if (timeoutNanos == 0 || this.stopping) {
				this.selector.selectNow(this.keyHandler);
				return;
			}
			this.wakeupNeeded.set(true);
			try {
				if (!this.incoming.isEmpty() || this.stopping) {
					this.selector.selectNow(this.keyHandler);
				}
				else if (timeoutNanos < 0) {
					this.selector.select(this.keyHandler);
				}
				else {
					// Round up so a timer due in under a millisecond does not turn into a busy loop.
					this.selector.select(this.keyHandler, (timeoutNanos + 999_999) / 1_000_000);
				}
			}
			finally {
				this.wakeupNeeded.set(false);
			}
		}
		catch (IOException ex) {
			callExceptionHandler(ExceptionContext.of("Selector failed in event loop '" + this.name + "'", ex));
		}
	}

	private void processKey(SelectionKey key) {
		if (!key.isValid()) {
			return;
		}
		SelectorHandler handler = (SelectorHandler) key.attachment();
		this.callbackStart = System.nanoTime();
		try {
			handler.onReady(key.readyOps());
		}
		catch (Throwable ex) {
			rethrowIfFatal(ex);
			callExceptionHandler(new ExceptionContext("Unhandled error in I/O handler", ex, null, null, handler));
		}
		checkSlow(handler);
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
			Handle handle = this.ready.poll();
			if (!handle.isCancelled()) {
				run(handle);
			}
		}
	}

	private void run(Handle handle) {
		try {
			handle.callback().run();
		}
		catch (Throwable ex) {
			rethrowIfFatal(ex);
			callExceptionHandler(new ExceptionContext("Exception in callback", ex, null, null, handle));
		}
		checkSlow(handle);
	}

	/**
	 * Counts {@code what} as slow if it ran past the slow-callback duration (always), and logs it in debug mode.
	 * The end of one callback is the start of the next, so each costs one clock read.
	 */
	private void checkSlow(Object what) {
		long now = System.nanoTime();
		long elapsed = now - this.callbackStart;
		this.callbackStart = now;
		if (elapsed >= this.slowCallbackNanos) {
			this.slowCallbacks++;
			this.recorder.slowCallback(elapsed);
			if (this.debug) {
				logger.log(Level.WARNING, () -> String.format(Locale.ROOT, "Executing %s took %.3f seconds",
						describe(what), elapsed / 1e9));
			}
		}
	}

	/** Returns {@code what.toString()}, which is user code and may fail, without ever throwing. */
	private static String describe(Object what) {
		try {
			return String.valueOf(what);
		}
		catch (RuntimeException ex) {
			return what.getClass().getName() + " (toString() failed: " + ex + ")";
		}
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
			this.selector.wakeup();
		}
	}

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
			callSoonThreadsafe(complete);
		}
		catch (IllegalStateException closedLoop) {
			complete.run();
		}
	}

	private synchronized ExecutorService defaultExecutor() {
		checkOpen();
		if (this.defaultExecutor == null) {
			int threads = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
			AtomicInteger count = new AtomicInteger();
			ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
					new LinkedBlockingQueue<>(), (task) -> {
						Thread worker = new Thread(task, this.name + "-executor-" + count.incrementAndGet());
						worker.setDaemon(true);
						return worker;
					});
			executor.allowCoreThreadTimeOut(true);
			this.defaultExecutor = executor;
		}
		return this.defaultExecutor;
	}

	// ---------------------------------------------------------------- errors and debug mode

	/** Installs the exception handler; {@code null} restores the default, which logs. */
	public void setExceptionHandler(ExceptionHandler handler) {
		this.exceptionHandler = handler;
	}

	/** Returns the installed exception handler, or {@code null} when the default is in use. */
	public ExceptionHandler getExceptionHandler() {
		return this.exceptionHandler;
	}

	/**
	 * Reports an error to the exception handler. Never throws: if the handler throws, both errors are logged.
	 */
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

	/** The default exception handler: logs the context at ERROR level with the exception. Never throws. */
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

	/** Returns {@code true} if debug mode is on. */
	public boolean isDebug() {
		return this.debug;
	}

	/** Turns debug mode on or off: when on, callbacks slower than the slow-callback duration are logged. */
	public void setDebug(boolean debug) {
		this.debug = debug;
	}

	/** Returns the threshold over which debug mode logs a callback as slow. */
	public Duration getSlowCallbackDuration() {
		return Duration.ofNanos(this.slowCallbackNanos);
	}

	/** Sets the threshold over which a callback counts as slow (and debug mode logs it). */
	public void setSlowCallbackDuration(Duration duration) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + duration);
		}
		this.slowCallbackNanos = duration.toNanos();
	}

	// ---------------------------------------------------------------- statistics

	/** Installs the recorder told about timer lag and slow callbacks; {@code null} restores none. Any thread. */
	public void setRecorder(LoopRecorder recorder) {
		this.recorder = (recorder != null) ? recorder : LoopRecorder.NONE;
	}

	/** Returns the time spent running callbacks and I/O handlers so far, in nanoseconds. Any thread. */
	public long busyNanos() {
		return this.busyNanos;
	}

	/** Returns the time spent waiting in select so far, in nanoseconds. Any thread. */
	public long idleNanos() {
		return this.idleNanos;
	}

	/** Returns how many callbacks and I/O handlers ran longer than the slow-callback duration. Any thread. */
	public long slowCallbacks() {
		return this.slowCallbacks;
	}

	/** Returns the callbacks ready to run and the timers scheduled, as of the last iteration. Any thread. */
	public int pendingTasks() {
		return this.pendingTasks;
	}

	/**
	 * Returns how long the loop has been busy with its current iteration, or zero while it waits for I/O: a
	 * large value means a callback is blocking the loop. Any thread.
	 */
	public Duration currentIterationTime() {
		long since = this.busySince;
		return (since != 0 && isRunning()) ? Duration.ofNanos(Math.max(0, System.nanoTime() - since)) : Duration.ZERO;
	}

	static void rethrowIfFatal(Throwable ex) {
		if (ex instanceof VirtualMachineError error) {
			throw error;
		}
	}

	// ---------------------------------------------------------------- transports

	/**
	 * Creates a TCP server: binds each address of the options' hosts (all interfaces when none) and accepts
	 * connections on this loop, creating one protocol per connection with {@code factory}.
	 * @return a future completed on the loop thread with the server, or with the bind error
	 */
	public CompletableFuture<Server> createServer(Supplier<? extends StreamProtocol> factory, ServerOptions options) {
		return SocketServer.create(this, () -> this, factory, options);
	}

	/** Creates a server listening on a Unix domain socket at {@code path}; see {@link #createServer}. */
	public CompletableFuture<Server> createUnixServer(Supplier<? extends StreamProtocol> factory, Path path,
			ServerOptions options) {
		return SocketServer.createUnix(this, () -> this, factory, path, options);
	}

	/**
	 * Opens a TCP connection to {@code host:port}: resolves the host off the loop thread, then tries each
	 * address in turn until one connects.
	 * @return a future completed on the loop thread once the protocol's {@code connectionMade} has run
	 */
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, String host, int port, ConnectionOptions options) {
		return Connector.connect(this, factory, host, port, options);
	}

	/** Opens a TCP connection to {@code host:port} with default options. */
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, String host, int port) {
		return createConnection(factory, host, port, ConnectionOptions.DEFAULT);
	}

	/**
	 * Wraps an already connected socket channel in a transport on this loop: asyncio's
	 * {@code create_connection(sock=...)}. Same as {@link #connectAcceptedSocket}.
	 */
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, SocketChannel channel, ConnectionOptions options) {
		return Connector.adopt(this, factory, channel, options);
	}

	/** Opens a connection to the Unix domain socket at {@code path}. */
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createUnixConnection(
			Supplier<P> factory, Path path, ConnectionOptions options) {
		return Connector.connectUnix(this, factory, path, options);
	}

	/**
	 * Wraps a socket channel that is already connected (accepted elsewhere, or one end of a pair) in a
	 * transport on this loop.
	 */
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
			Supplier<P> factory, SocketChannel channel, ConnectionOptions options) {
		return Connector.adopt(this, factory, channel, options);
	}

	/**
	 * Creates a datagram (UDP) endpoint: binds and/or connects a datagram socket as the options say, and creates
	 * the one protocol that serves it.
	 * @return a future completed on the loop thread once the protocol's {@code connectionMade} has run
	 */
	public <P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>>
			createDatagramEndpoint(Supplier<P> factory, DatagramOptions options) {
		return DatagramEndpoints.create(this, factory, options);
	}

	// ---------------------------------------------------------------- for transports (not API)

	/**
	 * Registers {@code channel} with this loop's selector (or re-attaches it), on the loop thread. For
	 * transports and servers.
	 */
	public SelectionKey register(SelectableChannel channel, int ops, SelectorHandler handler)
			throws ClosedChannelException {
		assert inEventLoop() || this.thread == null : "register() off the loop thread";
		return channel.register(this.selector, ops, handler);
	}

	/** Records a server or transport to shut down when the loop closes. For transports and servers. */
	public void track(LoopResource resource) {
		this.resources.add(resource);
	}

	/** Forgets a resource recorded with {@link #track}. For transports and servers. */
	public void untrack(LoopResource resource) {
		this.resources.remove(resource);
	}

	/**
	 * Returns the loop's shared read buffer, cleared. Valid until the next read on this loop; for transports.
	 */
	public ByteBuffer readBuffer() {
		return this.readBuffer.clear();
	}

	/**
	 * Returns the loop's direct buffer for staging a write of a byte array, cleared. Distinct from the read
	 * buffer, which a protocol may still be parsing while it writes; for transports.
	 */
	public ByteBuffer writeStagingBuffer() {
		return this.writeStagingBuffer.clear();
	}

	/** Returns the loop's scratch array for gathering writes; callers null out what they used. */
	public ByteBuffer[] gatherArray() {
		return this.gatherArray;
	}

	/** Returns the number of timers scheduled and not cancelled. */
	public int pendingTimers() {
		return this.timers.size();
	}

	@Override
	public String toString() {
		return "EventLoop[" + this.name + (isRunning() ? ", running" : "") + (this.closed ? ", closed" : "")
				+ (this.debug ? ", debug" : "") + "]";
	}

}
