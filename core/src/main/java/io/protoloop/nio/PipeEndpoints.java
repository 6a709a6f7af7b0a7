package io.protoloop.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import io.protoloop.process.pipes.PipeSink;
import io.protoloop.process.pipes.PipeSource;
import io.protoloop.process.pipes.ReadPipe;
import io.protoloop.process.pipes.ReadPump;
import io.protoloop.process.pipes.WritePipe;
import io.protoloop.process.pipes.WritePump;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WritePipeTransport;

/**
 * {@code connectReadPipe} and {@code connectWritePipe}: a {@link Pipe} channel goes on the selector
 * ({@link SelectablePipeEnd}); a stream, or a FIFO opened as one off the loop thread, gets a pump thread.
 */
final class PipeEndpoints {

	/** Numbers the pump threads of pipes that belong to no child process. */
	private static final AtomicLong ids = new AtomicLong();

	private PipeEndpoints() {
	}

	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> read(
			SelectorEventLoop loop, Supplier<P> factory, Pipe.SourceChannel channel) {
		return loop.submit(() -> read(loop, factory, new SelectablePipeEnd(loop, channel)))
			.thenCompose(Function.identity());
	}

	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> read(
			SelectorEventLoop loop, Supplier<P> factory, InputStream in) {
		return loop.submit(() -> read(loop, factory, new ReadPump(loop, in, "pipe-" + ids.incrementAndGet() + "-read")))
			.thenCompose(Function.identity());
	}

	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> read(
			SelectorEventLoop loop, Supplier<P> factory, Path fifo) {
		return loop.runInExecutor(null, () -> Channels.newInputStream(openFifo(fifo, StandardOpenOption.READ)))
			.thenCompose((in) -> read(loop, factory, in));
	}

	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> write(
			SelectorEventLoop loop, Supplier<P> factory, Pipe.SinkChannel channel) {
		return loop.submit(() -> write(loop, factory, new SelectablePipeEnd(loop, channel)))
			.thenCompose(Function.identity());
	}

	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> write(
			SelectorEventLoop loop, Supplier<P> factory, OutputStream out) {
		String name = "pipe-" + ids.incrementAndGet() + "-write";
		return loop.submit(() -> write(loop, factory, new WritePump(loop, out, name)))
			.thenCompose(Function.identity());
	}

	static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> write(
			SelectorEventLoop loop, Supplier<P> factory, Path fifo) {
		return loop.runInExecutor(null, () -> Channels.newOutputStream(openFifo(fifo, StandardOpenOption.WRITE)))
			.thenCompose((out) -> write(loop, factory, out));
	}

	private static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> read(
			SelectorEventLoop loop, Supplier<P> factory, PipeSource source) {
		P protocol = create(factory, () -> source.close(() -> {
		}));
		ReadPipe transport = new ReadPipe(loop, protocol, source, TransportSettings.DEFAULT,
				new LoopTracker(loop, loop.processes().pipeTracker));
		CompletableFuture<Void> made = new CompletableFuture<>();
		transport.start(made);
		return made.thenApply((ignored) -> new TransportAndProtocol<>(transport, protocol));
	}

	private static <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> write(
			SelectorEventLoop loop, Supplier<P> factory, PipeSink sink) {
		P protocol = create(factory, () -> sink.close(false, () -> {
		}));
		WritePipe transport = new WritePipe(loop, protocol, sink, TransportSettings.DEFAULT,
				new LoopTracker(loop, loop.processes().pipeTracker));
		CompletableFuture<Void> made = new CompletableFuture<>();
		transport.start(made);
		return made.thenApply((ignored) -> new TransportAndProtocol<>(transport, protocol));
	}

	/** Calls the factory; if it throws, closes the pipe end, which no transport will own. */
	private static <P> P create(Supplier<P> factory, Runnable closePipe) {
		try {
			return factory.get();
		}
		catch (RuntimeException | Error ex) {
			closePipe.run();
			throw ex;
		}
	}

	/** Opens a FIFO, which blocks until the other end opens it; asyncio accepts pipes only, so no regular file. */
	private static FileChannel openFifo(Path fifo, OpenOption mode) throws IOException {
		if (Files.isRegularFile(fifo) || Files.isDirectory(fifo)) {
			throw new IllegalArgumentException("Pipe transport is for pipes only, not a regular file or directory: "
					+ fifo);
		}
		return FileChannel.open(fifo, mode);
	}

}
