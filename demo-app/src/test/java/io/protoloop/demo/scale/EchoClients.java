package io.protoloop.demo.scale;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Echo clients that verify every byte, run against a port while instances behind it restart. Each client
 * connects, sends random payloads one at a time and reads each echo back in full, keeps the connection for a
 * random number of rounds up to a bound (a bound of {@link Integer#MAX_VALUE} keeps it until its instance shuts
 * down), then connects again.
 * <p>
 * What counts: a <em>request</em> is one payload echoed back exactly. A <em>failed connect</em> is a connect that
 * fails. A connection <em>cut before its first echo</em> was made, then reset or ended before any reply (a client
 * that connected during a restart and was not served). Any other <em>failure</em>: a reset or timeout after the
 * first echo, or a byte that differs. A <em>drained close</em> is a connection that had been served and then got a
 * clean end of stream (its instance shut down): what arrived before it must be exactly the start of what was
 * sent, and the client connects again. The <em>longest stall</em> is the longest any client
 * waited between two echoes, reconnecting included.
 */
final class EchoClients implements AutoCloseable {

	/** Bound on a connect and on each read. */
	private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

	private final InetSocketAddress target;

	private final int maxRounds;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong connections = new AtomicLong();

	private final AtomicLong drainedCloses = new AtomicLong();

	private final AtomicLong bytes = new AtomicLong();

	private final AtomicLong longestStallNanos = new AtomicLong();

	private final Queue<String> failedConnects = new ConcurrentLinkedQueue<>();

	private final Queue<String> cutBeforeFirstEcho = new ConcurrentLinkedQueue<>();

	private final Queue<String> failures = new ConcurrentLinkedQueue<>();

	private volatile boolean running = true;

	/**
	 * Starts {@code clients} client threads.
	 * @param target where they connect (HAProxy's frontend, or a shared port)
	 * @param clients how many run at once
	 * @param maxRounds the most requests one connection makes before the client connects again
	 */
	EchoClients(InetSocketAddress target, int clients, int maxRounds) {
		this.target = target;
		this.maxRounds = maxRounds;
		for (int i = 0; i < clients; i++) {
			SplittableRandom random = new SplittableRandom(42 + i);
			Thread thread = new Thread(() -> run(random), "echo-client-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	private void run(SplittableRandom random) {
		long lastEcho = System.nanoTime();
		while (this.running) {
			int rounds = 1 + random.nextInt(this.maxRounds);
			try (Socket socket = new Socket()) {
				try {
					socket.connect(this.target, (int) SOCKET_TIMEOUT.toMillis());
				}
				catch (IOException ex) {
					this.failedConnects.add(ex + " (" + this.target + ")");
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // back off, do not spin on a refusal
					continue;
				}
				socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
				socket.setTcpNoDelay(true);
				this.connections.incrementAndGet();
				lastEcho = converse(socket, random, rounds, lastEcho);
			}
			catch (IOException ex) {
				this.failures.add("closing: " + ex);
			}
		}
	}

	/** Makes up to {@code rounds} requests on a connection; returns when the last echo came. */
	private long converse(Socket socket, SplittableRandom random, int rounds, long lastEcho) {
		long last = lastEcho;
		for (int round = 0; round < rounds && this.running; round++) {
			byte[] payload = new byte[1 + random.nextInt(4096)];
			random.nextBytes(payload);
			byte[] echo;
			try {
				socket.getOutputStream().write(payload);
				echo = readUpTo(socket.getInputStream(), payload.length);
			}
			catch (IOException ex) {
				(round == 0 ? this.cutBeforeFirstEcho : this.failures).add(ex + " on " + socket);
				return last;
			}
			if (!Arrays.equals(echo, 0, echo.length, payload, 0, echo.length)) {
				this.failures.add("an echo differs from what was sent, on " + socket);
				return last;
			}
			if (echo.length < payload.length) { // a clean end of stream
				if (round == 0) {
					this.cutBeforeFirstEcho.add("closed before its first echo: " + socket);
				}
				else {
					this.drainedCloses.incrementAndGet();
				}
				return last;
			}
			this.requests.incrementAndGet();
			this.bytes.addAndGet(payload.length);
			long now = System.nanoTime();
			this.longestStallNanos.accumulateAndGet(now - last, Math::max);
			last = now;
		}
		return last;
	}

	/** Reads {@code length} bytes, or fewer if the stream ends first. */
	private static byte[] readUpTo(InputStream input, int length) throws IOException {
		byte[] bytes = new byte[length];
		int read = 0;
		while (read < length) {
			int n = input.read(bytes, read, length - read);
			if (n < 0) {
				return Arrays.copyOf(bytes, read);
			}
			read += n;
		}
		return bytes;
	}

	/** Payloads echoed back exactly so far. */
	long requests() {
		return this.requests.get();
	}

	/** Stops the clients (each finishes its round) and returns what they counted. */
	Figures stop() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(SOCKET_TIMEOUT.multipliedBy(2).toMillis());
		}
		return new Figures(this.requests.get(), this.bytes.get(), this.connections.get(), this.drainedCloses.get(),
				Duration.ofNanos(this.longestStallNanos.get()), List.copyOf(this.failedConnects),
				List.copyOf(this.cutBeforeFirstEcho), List.copyOf(this.failures));
	}

	@Override
	public void close() {
		try {
			if (this.running) {
				stop();
			}
		}
		catch (InterruptedException ex) {
			// Closing is cleanup: keep the interrupt for the test that is ending.
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What the echo clients counted.
	 * @param requests payloads echoed back exactly
	 * @param bytes bytes in those payloads
	 * @param connections connections made
	 * @param drainedCloses served connections that a shutting-down instance closed cleanly
	 * @param longestStall the longest any client waited between two echoes
	 * @param failedConnects connects that failed, one line each
	 * @param cutBeforeFirstEcho connections reset or ended before their first echo, one line each
	 * @param failures anything else that went wrong, one line each
	 */
	record Figures(long requests, long bytes, long connections, long drainedCloses, Duration longestStall,
			List<String> failedConnects, List<String> cutBeforeFirstEcho, List<String> failures) {

		@Override
		public String toString() {
			return ("%d requests (%d bytes) on %d connections, %d failed connects, %d cut before their first echo, "
					+ "%d other failures, %d reconnects after a drained close, longest stall %d ms")
				.formatted(this.requests, this.bytes, this.connections, this.failedConnects.size(),
						this.cutBeforeFirstEcho.size(), this.failures.size(), this.drainedCloses,
						this.longestStall.toMillis());
		}

	}

}
