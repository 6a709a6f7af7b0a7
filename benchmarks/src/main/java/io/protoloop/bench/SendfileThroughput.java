package io.protoloop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.protoloop.loop.EventLoop;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/**
 * A file over loopback TCP from one Protoloop transport: {@code loop.sendfile} ({@code FileChannel.transferTo},
 * zero-copy) against a read/write loop on the loop thread through the same kind of transport (read 256 KiB of
 * the file, {@code transport.write} it, go on until {@code pauseWriting}, carry on at {@code resumeWriting}), in
 * interleaved rounds. A plain blocking socket on another thread receives and counts. The figures are the loop
 * thread's CPU (ThreadMXBean: user and system), which does the sending, and the whole JVM's, receiver included.
 *
 * <p>Usage: {@code SendfileThroughput [--rounds=N] [--mib=N]} (defaults 5 rounds of a 1024 MiB file, written to
 * a temporary directory and deleted at the end); run by {@code benchmarks/run.sh sendfile}.
 */
public final class SendfileThroughput {

	private static final int CHUNK = 256 * 1024;

	private static final long TIMEOUT_SECONDS = 600;

	private final EventLoop loop;

	private final long loopThreadId;

	private final FileChannel file;

	private final long size;

	private final ServerSocketChannel server;

	private final ExecutorService receiver = Executors.newSingleThreadExecutor((r) -> new Thread(r, "receiver"));

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private SendfileThroughput(EventLoop loop, FileChannel file, long size) throws Exception {
		this.loop = loop;
		this.loopThreadId = loop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS);
		this.file = file;
		this.size = size;
		this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
	}

	public static void main(String[] args) throws Exception {
		int rounds = PairedRounds.intOption(args, "--rounds", 5, "--mib");
		long size = PairedRounds.intOption(args, "--mib", 1024, "--rounds") * 1024L * 1024L;
		Path directory = Files.createTempDirectory("protoloop-sendfile");
		Path path = directory.resolve("payload.bin");
		EventLoopGroup group = BenchLoops.group();
		try {
			write(path, size);
			try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
				SendfileThroughput bench = new SendfileThroughput(group.loops().get(0), file, size);
				try {
					new PairedRounds(size, rounds)
						.way("sendfile (transferTo)", () -> bench.measure(bench::sendfile))
						.way("read/write loop", () -> bench.measure(bench::readWriteLoop))
						.run();
				}
				finally {
					bench.close();
				}
			}
		}
		finally {
			group.close();
			Files.deleteIfExists(path);
			Files.deleteIfExists(directory);
		}
	}

	/** Writes {@code size} pseudo-random bytes to {@code path}. */
	private static void write(Path path, long size) throws IOException {
		byte[] block = new byte[1024 * 1024];
		SplittableRandom random = new SplittableRandom(42);
		try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			for (long written = 0; written < size; written += block.length) {
				for (int i = 0; i < block.length; i += 8) {
					long value = random.nextLong();
					for (int b = 0; b < 8; b++) {
						block[i + b] = (byte) (value >>> (8 * b));
					}
				}
				ByteBuffer buffer = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - written));
				while (buffer.hasRemaining()) {
					out.write(buffer);
				}
			}
		}
	}

	/** One way of sending the file over {@code transport}; completes once it is all handed to the transport. */
	@FunctionalInterface
	private interface Send {

		CompletableFuture<?> send(Transport transport, Sender sender) throws Exception;

	}

	/** Connects, sends the whole file, waits for the receiver to count it, and returns the CPU it took. */
	private Map<String, Double> measure(Send way) throws Exception {
		Sender sender = new Sender();
		Transport transport = this.loop.createConnection(() -> sender, "127.0.0.1",
				((InetSocketAddress) this.server.getLocalAddress()).getPort()).get(10, TimeUnit.SECONDS).transport();
		Future<Long> received;
		try (SocketChannel peer = this.server.accept()) {
			received = this.receiver.submit(() -> receive(peer));
			double jvm = PairedRounds.jvmCpuSeconds();
			long loopCpu = this.threads.getThreadCpuTime(this.loopThreadId);
			way.send(transport, sender).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			long got = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			Map<String, Double> cpu = new LinkedHashMap<>();
			cpu.put("loop thread", (this.threads.getThreadCpuTime(this.loopThreadId) - loopCpu) / 1e9);
			cpu.put("jvm", PairedRounds.jvmCpuSeconds() - jvm);
			if (got != this.size) {
				throw new IllegalStateException("received " + got + " bytes of " + this.size);
			}
			return cpu;
		}
		finally {
			this.loop.submit(() -> {
				transport.close();
				return null;
			}).get(10, TimeUnit.SECONDS);
		}
	}

	private long receive(SocketChannel peer) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
		long total = 0;
		while (total < this.size) {
			int n = peer.read(buffer.clear());
			if (n < 0) {
				break;
			}
			total += n;
		}
		return total;
	}

	private CompletableFuture<?> sendfile(Transport transport, Sender sender) {
		return this.loop.sendfile(transport, this.file, 0, this.size);
	}

	private CompletableFuture<?> readWriteLoop(Transport transport, Sender sender) {
		return this.loop.submit(() -> sender.copy(this.file, this.size)).thenCompose((done) -> done);
	}

	private void close() throws IOException {
		this.receiver.shutdownNow();
		this.server.close();
	}

	/**
	 * The sending side's protocol: ignores what it receives, and for the read/write loop copies the file in
	 * chunks while writing is not paused.
	 */
	private static final class Sender implements Protocol {

		private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);

		private final CompletableFuture<Void> copied = new CompletableFuture<>();

		private Transport transport;

		private FileChannel file;

		private long size;

		private long position;

		private boolean paused;

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
		}

		/** Starts copying {@code file} to the transport; loop thread. */
		CompletableFuture<Void> copy(FileChannel file, long size) throws IOException {
			this.file = file;
			this.size = size;
			copyWhileWritable();
			return this.copied;
		}

		private void copyWhileWritable() throws IOException {
			while (!this.paused && this.position < this.size) {
				this.chunk.clear().limit((int) Math.min(CHUNK, this.size - this.position));
				int n = this.file.read(this.chunk, this.position);
				if (n < 0) {
					throw new IOException("The file ended at " + this.position);
				}
				this.position += n;
				this.transport.write(this.chunk.flip());
			}
			if (this.position == this.size) {
				this.copied.complete(null);
			}
		}

		@Override
		public void pauseWriting() {
			this.paused = true;
		}

		@Override
		public void resumeWriting() {
			this.paused = false;
			if (this.file != null) {
				try {
					copyWhileWritable();
				}
				catch (IOException ex) {
					this.copied.completeExceptionally(ex);
				}
			}
		}

	}

}
