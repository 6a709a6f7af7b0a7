package io.protoloop.nio;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.LoopFailureHandler;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.LoopTransport;
import io.protoloop.loop.TransportFactory;
import io.protoloop.process.SubprocessOptions;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.Server;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.WritePipeTransport;
import io.protoloop.udp.DatagramOptions;

/**
 * N event loops, each on a thread of its own, for using several cores. A server created here accepts on one
 * loop and hands each connection to the next loop in turn; a transport and its protocol stay on that loop for
 * life, so protocol code still needs no locks. Every other creation method uses the next loop in turn. A group
 * of one loop gives exactly asyncio's single-threaded semantics.
 */
public final class EventLoopGroup implements TransportFactory, AutoCloseable {

	private static final System.Logger logger = System.getLogger(EventLoopGroup.class.getName());

	/** How long {@link #close()} waits for each loop thread to finish. */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

	private final List<SelectorEventLoop> loops;

	private final List<Thread> threads;

	private final AtomicInteger deadLoops = new AtomicInteger();

	private final AtomicInteger nextIndex = new AtomicInteger();

	private volatile LoopFailureHandler failureHandler = (loop, error) -> {
	};

	/**
	 * Starts {@code size} loops, named {@code options.name()-0}, {@code -1}, ..., each running on a thread of
	 * the same name. Returns once every loop runs, so other threads are held to the loop's thread rules at once.
	 * @param size the number of loops, at least 1
	 * @param options the options every loop gets (the name is used as a prefix)
	 */
	public EventLoopGroup(int size, LoopOptions options) {
		if (size < 1) {
			throw new IllegalArgumentException("An event loop group needs at least one loop, not " + size);
		}
		List<SelectorEventLoop> loops = new ArrayList<>(size);
		List<Thread> threads = new ArrayList<>(size);
		CountDownLatch running = new CountDownLatch(size);
		for (int i = 0; i < size; i++) {
			SelectorEventLoop loop = new SelectorEventLoop(options.withName(options.name() + "-" + i));
			// Runs in the loop's first iteration, on its thread.
			loop.callSoon(running::countDown);
			Thread thread = new Thread(() -> runThenClose(loop), loop.name());
			thread.setUncaughtExceptionHandler((t, ex) -> logger.log(Level.ERROR, "Event loop thread '" + t.getName()
					+ "' ended with an error", ex));
			loops.add(loop);
			threads.add(thread);
		}
		this.loops = List.copyOf(loops);
		this.threads = List.copyOf(threads);
		this.threads.forEach(Thread::start);
		awaitUninterruptibly(running);
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		while (true) {
			try {
				latch.await();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/** {@return the transport the group's loops do I/O with: {@link LoopTransport#EPOLL} or {@link LoopTransport#NIO}} */
	public LoopTransport transport() {
		return this.loops.get(0).transport();
	}

	/** Starts one loop per available processor, named {@code protoloop-N}. */
	public EventLoopGroup() {
		this(Runtime.getRuntime().availableProcessors(), LoopOptions.named("protoloop"));
	}

	private void runThenClose(SelectorEventLoop loop) {
		try {
			loop.runForever();
		}
		catch (Throwable fatal) {
			loopFailed(loop, fatal);
		}
		finally {
			loop.close();
		}
	}

	/**
	 * A loop died of an error no callback may survive: it stops getting new connections (see {@link #next()}),
	 * the failure is logged with the loop's name and reported, and the failure handler decides for the process.
	 */
	private void loopFailed(SelectorEventLoop loop, Throwable fatal) {
		this.deadLoops.incrementAndGet();
		loop.markFailed();
		logger.log(Level.ERROR, "Event loop '" + loop.name() + "' died of " + fatal + "; its connections are "
				+ "aborted and it takes no new ones (" + (this.loops.size() - this.deadLoops.get()) + " of "
				+ this.loops.size() + " loops left)", fatal);
		try {
			this.failureHandler.loopFailed(loop, fatal);
		}
		catch (RuntimeException ex) {
			logger.log(Level.ERROR, "The loop failure handler failed", ex);
		}
	}

	/**
	 * Sets who is told when a loop dies of a fatal error (by default nobody: the death is logged). May be
	 * called from any thread.
	 * @param handler the handler, not {@code null}
	 */
	public void setLoopFailureHandler(LoopFailureHandler handler) {
		this.failureHandler = Objects.requireNonNull(handler, "handler");
	}

	/**
	 * Sets the executor every loop's {@link EventLoop#runInExecutor} uses when given none (see
	 * {@link EventLoop#setDefaultExecutor}); the group does not shut it down. May be called from any thread.
	 * @param executor the executor, or {@code null} for each loop's own pool
	 */
	public void setDefaultExecutor(Executor executor) {
		this.loops.forEach((loop) -> loop.setDefaultExecutor(executor));
	}

	/**
	 * {@return the loops, in index order}
	 */
	public List<EventLoop> loops() {
		return List.copyOf(this.loops);
	}

	/**
	 * {@return the next live loop in round-robin order} A loop that died of a fatal error is skipped. Thread-safe.
	 * @throws IllegalStateException if every loop has died
	 */
	public EventLoop next() {
		return nextLoop();
	}

	private SelectorEventLoop nextLoop() {
		for (int tries = 0; tries < this.loops.size(); tries++) {
			SelectorEventLoop loop = this.loops.get(Math.floorMod(this.nextIndex.getAndIncrement(), this.loops.size()));
			if (!loop.hasFailed()) {
				return loop;
			}
		}
		throw new IllegalStateException("Every event loop of " + this + " has died of a fatal error");
	}

	/** Creates a TCP server whose connections are spread over the group's loops. */
	@Override
	public CompletableFuture<Server> createServer(Supplier<? extends StreamProtocol> factory, ServerOptions options) {
		return SocketServer.create(nextLoop(), this::nextLoop, factory, options);
	}

	/** Creates a Unix domain socket server whose connections are spread over the group's loops. */
	@Override
	public CompletableFuture<Server> createUnixServer(Supplier<? extends StreamProtocol> factory, Path path,
			ServerOptions options) {
		return SocketServer.createUnix(nextLoop(), this::nextLoop, factory, path, options);
	}

	/** Opens a TCP connection on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, String host, int port, ConnectionOptions options) {
		return nextLoop().createConnection(factory, host, port, options);
	}

	/** Opens a Unix domain socket connection on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createUnixConnection(
			Supplier<P> factory, Path path, ConnectionOptions options) {
		return nextLoop().createUnixConnection(factory, path, options);
	}

	/** Wraps a connected channel in a transport on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
			Supplier<P> factory, SocketChannel channel, ConnectionOptions options) {
		return nextLoop().connectAcceptedSocket(factory, channel, options);
	}

	/** Upgrades {@code transport} to TLS on its own loop; see {@link TransportFactory#startTls}. */
	@Override
	public CompletableFuture<Transport> startTls(Transport transport, StreamProtocol protocol, TlsOptions options,
			boolean serverSide) {
		return transport.getLoop().startTls(transport, protocol, options, serverSide);
	}

	/** Creates a datagram endpoint on the next loop. */
	@Override
	public <P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>>
			createDatagramEndpoint(Supplier<P> factory, DatagramOptions options) {
		return nextLoop().createDatagramEndpoint(factory, options);
	}

	/** Starts a child process whose transport and pipes run on the next loop. */
	@Override
	public <P extends SubprocessProtocol> CompletableFuture<TransportAndProtocol<SubprocessTransport, P>>
			subprocessExec(Supplier<P> factory, List<String> command, SubprocessOptions options) {
		return nextLoop().subprocessExec(factory, command, options);
	}

	/** Reads a pipe on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, Pipe.SourceChannel pipe) {
		return nextLoop().connectReadPipe(factory, pipe);
	}

	/** Reads a stream on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, InputStream pipe) {
		return nextLoop().connectReadPipe(factory, pipe);
	}

	/** Reads a FIFO on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, Path fifo) {
		return nextLoop().connectReadPipe(factory, fifo);
	}

	/** Writes to a pipe on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, Pipe.SinkChannel pipe) {
		return nextLoop().connectWritePipe(factory, pipe);
	}

	/** Writes to a stream on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, OutputStream pipe) {
		return nextLoop().connectWritePipe(factory, pipe);
	}

	/** Writes to a FIFO on the next loop. */
	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, Path fifo) {
		return nextLoop().connectWritePipe(factory, fifo);
	}

	/** Sends a file over {@code transport} on its own loop; see {@link TransportFactory#sendfile}. */
	@Override
	public CompletableFuture<Long> sendfile(Transport transport, FileChannel file, long offset, long count) {
		return transport.getLoop().sendfile(transport, file, offset, count);
	}

	/**
	 * Stops every loop and waits for its thread to close it: servers stop listening, transports are aborted and
	 * their protocols see {@code connectionLost}, on their own loop threads. Idempotent.
	 */
	@Override
	public void close() {
		this.loops.forEach(SelectorEventLoop::stop);
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		for (Thread thread : this.threads) {
			if (thread == Thread.currentThread()) {
				continue;
			}
			try {
				thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (thread.isAlive()) {
				logger.log(Level.WARNING, "Event loop thread '" + thread.getName() + "' did not finish within "
						+ CLOSE_TIMEOUT.toSeconds() + "s; a callback may be blocking it");
			}
		}
	}

	@Override
	public String toString() {
		return "EventLoopGroup" + this.loops;
	}

}
