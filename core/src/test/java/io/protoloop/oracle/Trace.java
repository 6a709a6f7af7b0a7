package io.protoloop.oracle;

import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.TimerHandle;

/**
 * The Java twin of {@code Trace} in {@code oracle/oracle_kit.py}: records one line per event, in Java's names
 * ({@code dataReceived}, {@code null}, {@code IllegalStateException}); {@link TraceNormaliser} maps them to
 * Python's before the comparison. Events added after {@link #seal()} (the loop's own close) are ignored.
 */
final class Trace {

	/** Bound on every wait, as {@code TIMEOUT} in the Python kit. */
	static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** A short pause on the loop's own clock, as {@code SHORT} in the Python kit. */
	static final Duration SHORT = Duration.ofMillis(50);

	private final List<String> lines = new ArrayList<>();

	private volatile boolean sealed;

	/** Records {@code event} with its arguments, formatted by {@link #format(Object)}. */
	synchronized void add(String event, Object... args) {
		if (this.sealed) {
			return;
		}
		StringBuilder line = new StringBuilder(event);
		for (Object arg : args) {
			line.append(' ').append(format(arg));
		}
		this.lines.add(line.toString());
	}

	synchronized List<String> lines() {
		return List.copyOf(this.lines);
	}

	/** Ignores what comes later: the scenario is over. */
	void seal() {
		this.sealed = true;
	}

	/** Runs the loop until {@code future} completes, at most {@link #TIMEOUT}; returns its value or throws its error. */
	<T> T await(EventLoop loop, CompletionStage<T> future) throws Exception {
		CompletableFuture<T> bounded = new CompletableFuture<>();
		future.whenComplete((value, ex) -> {
			if (ex != null) {
				bounded.completeExceptionally(ex);
			}
			else {
				bounded.complete(value);
			}
		});
		TimerHandle timer = loop.callLater(TIMEOUT,
				() -> bounded.completeExceptionally(new TimeoutException("no result within " + TIMEOUT)));
		try {
			return loop.runUntilComplete(bounded);
		}
		catch (ExecutionException ex) {
			Throwable cause = unwrap(ex);
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw ex;
		}
		finally {
			timer.cancel();
		}
	}

	/** Runs {@code action} and records {@code label ok}, or {@code label <ExceptionKind>} if it throws. */
	void outcome(String label, ThrowingRunnable action) {
		try {
			action.run();
			add(label, "ok");
		}
		catch (Exception ex) {
			add(label, ex);
		}
	}

	/** Records what a TCP peer received (byte count, the last 32 bytes) and how its stream ended. */
	void peer(Peer peer) {
		byte[] data = peer.result();
		byte[] tail = java.util.Arrays.copyOfRange(data, Math.max(0, data.length - 32), data.length);
		add("peerReceived", data.length, tail, peer.end());
	}

	/** The exception handler every scenario's loop gets: only the kind of exception is compared. */
	void handler(EventLoop loop, io.protoloop.loop.ExceptionContext context) {
		add("exceptionHandler", context.exception());
	}

	static String format(Object value) {
		if (value instanceof byte[] bytes) {
			return quote(bytes);
		}
		if (value instanceof ByteBuffer buffer) {
			ByteBuffer copy = buffer.duplicate();
			byte[] bytes = new byte[copy.remaining()];
			copy.get(bytes);
			return quote(bytes);
		}
		if (value instanceof Throwable ex) {
			return kind(ex);
		}
		return String.valueOf(value);
	}

	/**
	 * The simple class name; an {@link IOException} whose class says little gets its message too when that is a
	 * reset or a broken pipe (what Python tells apart by class), spaces as underscores:
	 * {@code SocketException:Connection_reset}.
	 */
	static String kind(Throwable ex) {
		Throwable cause = unwrap(ex);
		String name = cause.getClass().getSimpleName();
		String message = cause.getMessage();
		if (cause instanceof IOException && !(cause instanceof ConnectException)
				&& !(cause instanceof PortUnreachableException) && message != null
				&& (message.contains("reset") || message.contains("Broken pipe"))) {
			return name + ":" + message.replace(' ', '_');
		}
		return name;
	}

	static Throwable unwrap(Throwable ex) {
		Throwable cause = ex;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	static String quote(byte[] data) {
		StringBuilder out = new StringBuilder("'");
		for (byte b : data) {
			int c = b & 0xff;
			if (c >= 32 && c < 127 && c != '\'' && c != '\\') {
				out.append((char) c);
			}
			else {
				out.append(String.format("\\x%02x", c));
			}
		}
		return out.append('\'').toString();
	}

	@FunctionalInterface
	interface ThrowingRunnable {

		void run() throws Exception;

	}

}
