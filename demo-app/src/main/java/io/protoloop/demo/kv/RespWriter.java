package io.protoloop.demo.kv;

import java.nio.ByteBuffer;

import io.protoloop.transport.Transport;

/**
 * A connection's replies on their way to the transport. Encodes RESP2 into a scratch buffer that all connections
 * of a loop thread share, and writes it to the transport when it fills up or on {@link #flush()}, which ends every
 * callback that writes: pipelined replies go out in a few large writes, and an idle connection holds no buffer.
 *
 * <p>Knows whether the client keeps up ({@link #isPaused()}, between pauseWriting and resumeWriting), so a large
 * reply can stop and go on later ({@link BulkReply}); and enforces {@code demo.kv.max-output-buffer} itself, without
 * relying on the transport's hard cap: a connection whose replies waiting to be sent pass it is aborted.
 */
final class RespWriter {

	/** The scratch buffer's size: the most bytes handed to the transport in one write. */
	static final int CAPACITY = 16 * 1024;

	/** The longest header: a type byte, a 64-bit integer with its sign, CRLF. */
	private static final int MAX_HEADER = 1 + 20 + 2;

	private static final byte[] CRLF = { '\r', '\n' };

	private static final byte[] NULL_BULK = { '$', '-', '1', '\r', '\n' };

	private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

	private final Transport transport;

	private final long maxOutputBuffer;

	private final KvMetrics metrics;

	private boolean paused;

	/**
	 * @param maxOutputBuffer the most bytes that may wait in the transport's write buffer
	 * @param metrics told of {@link KvGuard#MAX_OUTPUT_BUFFER}, before the abort, when they pass it
	 */
	RespWriter(Transport transport, long maxOutputBuffer, KvMetrics metrics) {
		this.transport = transport;
		this.maxOutputBuffer = maxOutputBuffer;
		this.metrics = metrics;
	}

	/** Returns the size of a bulk string reply of {@code value} ({@code null}: the null bulk string), in bytes. */
	static long bulkStringSize(byte[] value) {
		return (value != null) ? headerSize(value.length) + value.length + CRLF.length : NULL_BULK.length;
	}

	/** Returns the size of a header ({@code $5}, {@code *2}) of {@code value}, CRLF included. */
	static int headerSize(long value) {
		return 1 + digits(value) + CRLF.length;
	}

	/** Returns how many chars {@code value} takes in decimal, its sign included, without formatting it. */
	static int digits(long value) {
		int digits = (value < 0) ? 2 : 1;
		// On the negative value, which also holds Long.MIN_VALUE.
		for (long rest = (value < 0) ? value : -value; rest <= -10; rest /= 10) {
			digits++;
		}
		return digits;
	}

	/** Returns {@code true} while the client is not keeping up: its write buffer went over the high watermark. */
	boolean isPaused() {
		return this.paused;
	}

	/** Records pauseWriting ({@code true}) and resumeWriting ({@code false}). */
	void setPaused(boolean paused) {
		this.paused = paused;
	}

	/** A simple string, {@code +OK}: {@code text}, one byte per char, must hold no CR or LF. */
	void simpleString(String text) {
		ascii('+', text);
	}

	/** An error, {@code -ERR ...}: {@code message}, one byte per char, must hold no CR or LF. */
	void error(String message) {
		ascii('-', message);
	}

	/** An integer, {@code :42}. */
	void integer(long value) {
		header(':', value);
	}

	/** The header of an array of {@code count} elements, {@code *2}; the elements follow. */
	void arrayHeader(int count) {
		header('*', count);
	}

	/** The null bulk string, {@code $-1}. */
	void nullBulkString() {
		put(NULL_BULK, 0, NULL_BULK.length);
	}

	/** The header of a bulk string of {@code length} bytes, {@code $5}; then {@link #bulkData} and {@link #crlf}. */
	void bulkHeader(int length) {
		header('$', length);
	}

	/**
	 * Writes bytes of a bulk string from {@code offset}: as many as the scratch buffer takes, handing it to the
	 * transport first if it is full, so the client's pauseWriting can come between two calls.
	 * @return the offset after what was written
	 */
	int bulkData(byte[] value, int offset) {
		ByteBuffer buffer = buffer();
		if (!buffer.hasRemaining()) {
			flush();
			buffer = buffer();
		}
		int length = Math.min(buffer.remaining(), value.length - offset);
		buffer.put(value, offset, length);
		return offset + length;
	}

	/** The CRLF that ends a bulk string. */
	void crlf() {
		put(CRLF, 0, CRLF.length);
	}

	/** Writes what the scratch buffer holds for this connection to the transport, and frees the buffer. */
	void flush() {
		Scratch scratch = SCRATCH.get();
		if (scratch.owner != this) {
			return;
		}
		scratch.owner = null;
		ByteBuffer buffer = scratch.buffer.flip();
		try {
			if (buffer.hasRemaining()) {
				this.transport.write(buffer);
			}
		}
		finally {
			buffer.clear();
		}
		if (this.transport.getWriteBufferSize() > this.maxOutputBuffer && !this.transport.isClosing()) {
			this.metrics.tripped(KvGuard.MAX_OUTPUT_BUFFER);
			this.transport.abort();
		}
	}

	private void ascii(char type, String text) {
		ByteBuffer buffer = room(1 + text.length() + 2);
		buffer.put((byte) type);
		for (int i = 0; i < text.length(); i++) {
			buffer.put((byte) text.charAt(i));
		}
		buffer.put(CRLF);
	}

	private void header(char type, long value) {
		ByteBuffer buffer = room(MAX_HEADER);
		byte[] digits = SCRATCH.get().digits;
		buffer.put((byte) type);
		// Digits from the end, on the negative value, which also holds Long.MIN_VALUE.
		int i = digits.length;
		long rest = (value < 0) ? value : -value;
		do {
			digits[--i] = (byte) ('0' - rest % 10);
			rest /= 10;
		}
		while (rest != 0);
		if (value < 0) {
			buffer.put((byte) '-');
		}
		buffer.put(digits, i, digits.length - i);
		buffer.put(CRLF);
	}

	private void put(byte[] bytes, int offset, int length) {
		room(length).put(bytes, offset, length);
	}

	/** Returns the scratch buffer with at least {@code length} bytes free, flushing it first if needed. */
	private ByteBuffer room(int length) {
		ByteBuffer buffer = buffer();
		if (buffer.remaining() < length) {
			flush();
			buffer = buffer();
		}
		return buffer;
	}

	/**
	 * Returns the thread's scratch buffer, now this connection's until {@link #flush()}. Every callback flushes
	 * before it returns, unless it threw: then its connection is aborted, and what it left is dropped here.
	 */
	private ByteBuffer buffer() {
		Scratch scratch = SCRATCH.get();
		if (scratch.owner != this) {
			scratch.buffer.clear();
			scratch.owner = this;
		}
		return scratch.buffer;
	}

	/** What the connections of one thread share: the buffer and who is filling it, and room to format numbers. */
	private static final class Scratch {

		private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);

		private final byte[] digits = new byte[20];

		private RespWriter owner;

	}

}
