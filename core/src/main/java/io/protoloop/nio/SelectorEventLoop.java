package io.protoloop.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.protoloop.loop.BaseEventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.LoopTransport;
import io.protoloop.process.SubprocessOptions;
import io.protoloop.process.pipes.ProcessTransport;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tls.TlsOptions;
import io.protoloop.tls.layer.SslProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.Server;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WritePipeTransport;
import io.protoloop.udp.DatagramOptions;

/**
 * The event loop on a {@link Selector}, after CPython's {@code BaseSelectorEventLoop}: {@link BaseEventLoop}
 * does the scheduling, this class waits for channel readiness and runs the handlers of ready channels, and
 * creates the transports of each kind through their factories ({@link SocketServer}, {@link Connector},
 * {@link DatagramEndpoints}, {@link PipeEndpoints}, {@link ProcessTransport}, and {@code sendfile}'s
 * {@link FileTransfer} or {@link SendfileFallback}).
 *
 * <p>The transports of this package reach what they need through package-private methods: registration with
 * the selector, the list of what to shut down when the loop closes, and the loop's reusable buffers.
 */
public final class SelectorEventLoop extends BaseEventLoop {

	private static final System.Logger logger = System.getLogger(SelectorEventLoop.class.getName());

	/** Size of the loop's shared read buffer: the most one read can return. */
	private static final int READ_BUFFER_SIZE = 64 * 1024;

	/** Most buffers handed to one gathering write. */
	private static final int MAX_GATHER = 1024;

	private final Selector selector;

	/** The epoll half of the loop, or {@code null} when it runs on {@code java.nio} alone. */
	private final NativeIo nativeIo;

	private final Set<LoopResource> resources = Collections.newSetFromMap(new IdentityHashMap<>());

	private final ProcessRegistry processes = new ProcessRegistry();

	private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

	private final ByteBuffer writeStagingBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

	private final ByteBuffer[] gatherArray = new ByteBuffer[MAX_GATHER];

	/** Set when the loop died of a fatal error, so its group routes nothing more to it. */
	private volatile boolean failed;

	/** Created once: a method reference evaluated per select would allocate on every iteration. */
	private final Consumer<SelectionKey> keyHandler = this::processKey;

	/**
	 * Creates a loop with the given options. It does not run until {@link #runForever()} is called.
	 * @param options the loop's options
	 */
	public SelectorEventLoop(LoopOptions options) {
		super(options);
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not open a selector for event loop '" + options.name() + "'", ex);
		}
		this.nativeIo = openNativeIo(options);
	}

	/** Opens the epoll half when the options ask for it and this JVM offers it; see {@link LoopTransport}. */
	private NativeIo openNativeIo(LoopOptions options) {
		if (options.transport() == LoopTransport.NIO) {
			return null;
		}
		String unavailable = NativeIo.unavailableReason();
		if (unavailable != null) {
			if (options.transport() == LoopTransport.EPOLL) {
				closeSelectorQuietly();
				throw new IllegalStateException("Event loop '" + options.name() + "' cannot use the epoll transport: "
						+ unavailable + ". Use transport NIO or AUTO.");
			}
			NioFallback.logOnce(unavailable);
			return null;
		}
		try {
			return NativeIo.open(this);
		}
		catch (IOException ex) {
			closeSelectorQuietly();
			throw new UncheckedIOException("Could not set up epoll for event loop '" + options.name() + "'", ex);
		}
	}

	private void closeSelectorQuietly() {
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, "Error closing a selector", ex);
		}
	}

	/** The one log line of a JVM whose loops use {@code java.nio} because epoll is unavailable. */
	private static final class NioFallback {

		private static final AtomicBoolean logged = new AtomicBoolean();

		static void logOnce(String reason) {
			if (logged.compareAndSet(false, true)) {
				logger.log(Level.INFO, "Event loops use java.nio, not epoll: " + reason);
			}
		}

	}

	/**
	 * Creates a loop named {@code name} with default options.
	 * @param name the loop's name
	 */
	public SelectorEventLoop(String name) {
		this(LoopOptions.named(name));
	}

	// ---------------------------------------------------------------- I/O

	/**
	 * {@return {@code null} if loops can use {@code transport} in this JVM, else why not, in a sentence}
	 * @param transport the transport asked for
	 */
	public static String unavailableReason(LoopTransport transport) {
		return (transport == LoopTransport.EPOLL) ? NativeIo.unavailableReason() : null;
	}

	/** {@return the transport this loop does I/O with: {@link LoopTransport#EPOLL} or {@link LoopTransport#NIO}} */
	public LoopTransport transport() {
		return (this.nativeIo != null) ? LoopTransport.EPOLL : LoopTransport.NIO;
	}

	@Override
	protected void poll(long timeoutNanos) {
		if (this.nativeIo != null) {
			try {
				this.nativeIo.poll(timeoutNanos);
			}
			catch (IOException ex) {
				callExceptionHandler(ExceptionContext.of("epoll failed in event loop '" + name() + "'", ex));
			}
			return;
		}
		selectJdk(timeoutNanos);
	}

	/**
	 * Waits for the JDK selector's channels and runs the handlers of the ready ones.
	 * @param timeoutNanos 0 to only look, negative to wait until one is ready or the selector is woken up
	 */
	void selectJdk(long timeoutNanos) {
		try {
			if (timeoutNanos == 0) {
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
		catch (IOException ex) {
			callExceptionHandler(ExceptionContext.of("Selector failed in event loop '" + name() + "'", ex));
		}
	}

	/** {@return {@code true} if a JDK channel is registered with the selector: pipes, adopted channels...} */
	boolean hasJdkChannels() {
		return !this.selector.keys().isEmpty();
	}

	/** Wakes up the JDK selector; the native half calls it when a native socket is ready during a select. */
	void wakeupSelector() {
		this.selector.wakeup();
	}

	private void processKey(SelectionKey key) {
		if (!key.isValid()) {
			return;
		}
		dispatch((SelectorHandler) key.attachment(), key.readyOps());
	}

	/**
	 * Runs {@code handler} for ready operations as a callback: timed, and an exception goes to the loop's
	 * exception handler.
	 * @param handler the ready socket's handler
	 * @param readyOps the ready {@code SelectionKey} operations
	 */
	void dispatch(SelectorHandler handler, int readyOps) {
		beginCallback();
		try {
			handler.onReady(readyOps);
		}
		catch (Throwable ex) {
			callbackFailed("Unhandled error in I/O handler", ex, handler);
		}
		endCallback(handler);
	}

	@Override
	protected void wakeup() {
		if (this.nativeIo != null) {
			this.nativeIo.wakeup();
		}
		else {
			this.selector.wakeup();
		}
	}

	@Override
	protected void closeResources() {
		List<LoopResource> open = new ArrayList<>(this.resources);
		// Servers first, so no connection is accepted while the transports abort.
		open.sort((a, b) -> Boolean.compare(!(a instanceof Server), !(b instanceof Server)));
		for (LoopResource resource : open) {
			try {
				resource.closeWithLoop();
			}
			catch (RuntimeException ex) {
				callExceptionHandler(new ExceptionContext("Error closing " + resource, ex, null, null, null));
			}
		}
	}

	@Override
	protected void closeIo() {
		if (this.nativeIo != null) {
			this.nativeIo.close();
		}
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			logger.log(Level.WARNING, "Error closing the selector of event loop '" + name() + "'", ex);
		}
	}

	/** Marks the loop as dead of a fatal error. */
	void markFailed() {
		this.failed = true;
	}

	/** Returns {@code true} if the loop died of a fatal error. */
	boolean hasFailed() {
		return this.failed;
	}

	// ---------------------------------------------------------------- for the transports of this package

	/** Registers {@code channel} with the selector (or re-attaches it), on the loop thread. */
	SelectionKey register(SelectableChannel channel, int ops, SelectorHandler handler) throws ClosedChannelException {
		assert inEventLoop() || !isRunning() : "register() off the loop thread";
		return channel.register(this.selector, ops, handler);
	}

	/** {@return where this loop's sockets come from: its native half, or the JDK's channels} */
	Sockets sockets() {
		return (this.nativeIo != null) ? this.nativeIo : NioSockets.INSTANCE;
	}

	/** Records a server or transport to shut down when the loop closes. */
	void track(LoopResource resource) {
		this.resources.add(resource);
	}

	/** Forgets a resource recorded with {@link #track}. */
	void untrack(LoopResource resource) {
		this.resources.remove(resource);
	}

	/** Returns the loop's child processes and pipes. */
	ProcessRegistry processes() {
		return this.processes;
	}

	/** Returns the loop's shared read buffer, cleared. Valid until the next read on this loop. */
	ByteBuffer readBuffer() {
		return this.readBuffer.clear();
	}

	/**
	 * Returns the loop's direct buffer for staging a write of a byte array, cleared. Distinct from the read
	 * buffer, which a protocol may still be parsing while it writes.
	 */
	ByteBuffer writeStagingBuffer() {
		return this.writeStagingBuffer.clear();
	}

	/** Returns the loop's scratch array for gathering writes; callers null out what they used. */
	ByteBuffer[] gatherArray() {
		return this.gatherArray;
	}

	// ---------------------------------------------------------------- transports

	@Override
	public CompletableFuture<Server> createServer(Supplier<? extends StreamProtocol> factory, ServerOptions options) {
		return SocketServer.create(this, () -> this, factory, options);
	}

	@Override
	public CompletableFuture<Server> createUnixServer(Supplier<? extends StreamProtocol> factory, Path path,
			ServerOptions options) {
		return SocketServer.createUnix(this, () -> this, factory, path, options);
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, String host, int port, ConnectionOptions options) {
		return Connector.connect(this, factory, host, port, options);
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createUnixConnection(
			Supplier<P> factory, Path path, ConnectionOptions options) {
		return Connector.connectUnix(this, factory, path, options);
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
			Supplier<P> factory, SocketChannel channel, ConnectionOptions options) {
		return Connector.adopt(this, factory, channel, options);
	}

	@Override
	public CompletableFuture<Transport> startTls(Transport transport, StreamProtocol protocol, TlsOptions options,
			boolean serverSide) {
		TransportSettings settings = TransportSettings.DEFAULT.withWriteBufferLimits(transport.getWriteBufferLimits());
		return SslProtocol.startTls(transport, protocol, options, serverSide, settings);
	}

	@Override
	public <P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>>
			createDatagramEndpoint(Supplier<P> factory, DatagramOptions options) {
		return DatagramEndpoints.create(this, factory, options);
	}

	@Override
	public <P extends SubprocessProtocol> CompletableFuture<TransportAndProtocol<SubprocessTransport, P>>
			subprocessExec(Supplier<P> factory, List<String> command, SubprocessOptions options) {
		List<String> arguments = List.copyOf(command);
		return submit(() -> ProcessTransport.spawn(this, factory, arguments, options,
				new LoopTracker(this, this.processes.childTracker), this.processes.pipeTracker))
			.thenCompose(Function.identity());
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, Pipe.SourceChannel pipe) {
		return PipeEndpoints.read(this, factory, pipe);
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, InputStream pipe) {
		return PipeEndpoints.read(this, factory, pipe);
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, Path fifo) {
		return PipeEndpoints.read(this, factory, fifo);
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, Pipe.SinkChannel pipe) {
		return PipeEndpoints.write(this, factory, pipe);
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, OutputStream pipe) {
		return PipeEndpoints.write(this, factory, pipe);
	}

	@Override
	public <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, Path fifo) {
		return PipeEndpoints.write(this, factory, fifo);
	}

	@Override
	public List<SubprocessTransport> subprocesses() {
		assert inEventLoop() || !isRunning() : "subprocesses() off the loop thread";
		return this.processes.children();
	}

	@Override
	public int runningChildren() {
		return this.processes.childCount();
	}

	@Override
	public int openPipes() {
		return this.processes.pipeCount();
	}

	/** Zero-copy on this package's socket transports, the chunked fallback on any other (TLS, say). */
	@Override
	public CompletableFuture<Long> sendfile(Transport transport, FileChannel file, long offset, long count) {
		if (offset < 0) {
			throw new IllegalArgumentException("offset must be a non-negative integer (got " + offset + ")");
		}
		if (count == 0) {
			throw new IllegalArgumentException("count must be a positive integer, or negative for the whole file "
					+ "(got 0)");
		}
		if (transport.getLoop() != this) {
			return transport.getLoop().sendfile(transport, file, offset, count);
		}
		return submit(() -> (transport instanceof SocketTransport socket) ? socket.sendfile(file, offset, count)
				: SendfileFallback.send(this, transport, file, offset, count))
			.thenCompose(Function.identity());
	}

}
