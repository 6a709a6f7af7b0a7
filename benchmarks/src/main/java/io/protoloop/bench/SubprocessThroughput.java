package io.protoloop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.protoloop.loop.EventLoop;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.process.Stdio;
import io.protoloop.process.SubprocessOptions;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.transport.SubprocessTransport;

/**
 * Bytes through {@code cat}, stdin to stdout: Protoloop's {@code subprocessExec} with flow control (write while
 * the stdin pipe is not paused, resume on {@code resumeWriting}) against a plain {@link ProcessBuilder} with one
 * thread writing stdin and another reading stdout, in interleaved rounds of the same bytes. Each transfer starts
 * its own {@code cat}, feeds it, reads everything back, counts it and waits for the exit.
 *
 * <p>Usage: {@code SubprocessThroughput [--rounds=N] [--mib=N]} (defaults 5 rounds of 512 MiB); run by
 * {@code benchmarks/run.sh subprocess}.
 */
public final class SubprocessThroughput {

	/** What one write to stdin hands over, in both ways. */
	private static final int CHUNK = 256 * 1024;

	/** What one read from stdout takes, in the plain way: Protoloop's pump reads 64 KiB too. */
	private static final int READ = 64 * 1024;

	private static final long TIMEOUT_SECONDS = 600;

	private final long bytes;

	private final byte[] chunk = new byte[CHUNK];

	private SubprocessThroughput(long bytes) {
		this.bytes = bytes;
		for (int i = 0; i < CHUNK; i++) {
			this.chunk[i] = (byte) ('a' + i % 26);
		}
	}

	public static void main(String[] args) throws Exception {
		int rounds = PairedRounds.intOption(args, "--rounds", 5, "--mib");
		long bytes = PairedRounds.intOption(args, "--mib", 512, "--rounds") * 1024L * 1024L;
		SubprocessThroughput bench = new SubprocessThroughput(bytes);
		EventLoopGroup group = BenchLoops.group();
		try {
			EventLoop loop = group.loops().get(0);
			new PairedRounds(bytes, rounds)
				.way("protoloop subprocessExec", () -> bench.throughProtoloop(loop))
				.way("ProcessBuilder + 2 threads", bench::throughProcessBuilder)
				.run();
		}
		finally {
			group.close();
		}
	}

	/** CPU of this JVM and of {@code cat} during {@code transfer}, which returns the bytes it got back. */
	private Map<String, Double> measure(Transfer transfer) throws Exception {
		double jvm = PairedRounds.jvmCpuSeconds();
		double cat = PairedRounds.reapedChildrenCpuSeconds();
		long received = transfer.run();
		if (received != this.bytes) {
			throw new IllegalStateException("cat gave back " + received + " bytes of " + this.bytes);
		}
		Map<String, Double> cpu = new LinkedHashMap<>();
		cpu.put("jvm", PairedRounds.jvmCpuSeconds() - jvm);
		cpu.put("cat", PairedRounds.reapedChildrenCpuSeconds() - cat);
		return cpu;
	}

	@FunctionalInterface
	private interface Transfer {

		long run() throws Exception;

	}

	// ---------------------------------------------------------------- Protoloop

	private Map<String, Double> throughProtoloop(EventLoop loop) throws Exception {
		return measure(() -> {
			Feeder feeder = new Feeder(this.chunk, this.bytes);
			// stderr discarded, as in the plain way: two pipes and two pumps, stdin and stdout.
			loop.subprocessExec(() -> feeder, List.of("cat"), SubprocessOptions.DEFAULT.withStderr(Stdio.DISCARD))
				.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			return feeder.done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		});
	}

	/** Writes {@code bytes} to cat's stdin as fast as flow control allows, then ends it; counts stdout. */
	private static final class Feeder implements SubprocessProtocol {

		final CompletableFuture<Long> done = new CompletableFuture<>();

		private final byte[] chunk;

		private final long bytes;

		private SubprocessTransport transport;

		private long sent;

		private long received;

		private boolean paused;

		Feeder(byte[] chunk, long bytes) {
			this.chunk = chunk;
			this.bytes = bytes;
		}

		@Override
		public void connectionMade(SubprocessTransport transport) {
			this.transport = transport;
			feed();
		}

		private void feed() {
			while (!this.paused && this.sent < this.bytes) {
				int n = (int) Math.min(this.chunk.length, this.bytes - this.sent);
				this.sent += n;
				this.transport.stdinPipe().write(this.chunk, 0, n);
			}
			if (this.sent == this.bytes && !this.transport.stdinPipe().isClosing()) {
				this.transport.stdinPipe().close();
			}
		}

		@Override
		public void pauseWriting() {
			this.paused = true;
		}

		@Override
		public void resumeWriting() {
			this.paused = false;
			feed();
		}

		@Override
		public void pipeDataReceived(int fd, ByteBuffer data) {
			this.received += data.remaining();
		}

		@Override
		public void processExited() {
			this.done.complete(this.received);
		}

	}

	// ---------------------------------------------------------------- ProcessBuilder

	private Map<String, Double> throughProcessBuilder() throws Exception {
		return measure(() -> {
			Process cat = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
			Thread writer = new Thread(() -> {
				try (OutputStream in = cat.getOutputStream()) {
					for (long sent = 0; sent < this.bytes; sent += CHUNK) {
						in.write(this.chunk, 0, (int) Math.min(CHUNK, this.bytes - sent));
					}
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}, "stdin-writer");
			writer.start();
			long received = 0;
			byte[] buffer = new byte[READ];
			try (InputStream out = cat.getInputStream()) {
				for (int n; (n = out.read(buffer)) >= 0;) {
					received += n;
				}
			}
			writer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
			if (!cat.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				cat.destroyForcibly();
				throw new IllegalStateException("cat did not exit");
			}
			return received;
		});
	}

}
