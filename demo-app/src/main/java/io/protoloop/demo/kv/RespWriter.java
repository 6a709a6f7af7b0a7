package io.protoloop.demo.kv;

import java.nio.ByteBuffer;

import io.protoloop.transport.Transport;

/**
 * Encodes RESP2 replies into one reusable buffer and writes it to the transport when it fills up or on
 * {@link #flush()}, so pipelined replies go out in a few large writes and a small reply allocates nothing. A bulk
 * string too large for the buffer goes out with it in one gathering write, without a copy.
 */
final class RespWriter {

	/** The buffer's size: the most a connection's replies wait here before they reach the transport. */
	static final int CAPACITY = 16 * 1024;

	/** The longest header: a type byte, a 64-bit integer with its sign, CRLF. */
	private static final int MAX_HEADER = 1 + 20 + 2;

	private static final byte[] CRLF = { '\r', '\n' };

	private static final byte[] NULL_BULK = { '$', '-', '1', '\r', '\n' };

	private final Transport transport;

	private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);

	/** Where integers are formatted, from the end. */
	private final byte[] digits = new byte[20];

	RespWriter(Transport transport) {
		this.transport = transport;
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

	/** A bulk string, {@code $5 hello}, or the null bulk string, {@code $-1}, if {@code value} is {@code null}. */
	void bulkString(byte[] value) {
		if (value == null) {
			put(NULL_BULK);
			return;
		}
		header('$', value.length);
		if (value.length <= this.buffer.remaining()) {
			this.buffer.put(value);
		}
		else {
			this.transport.writelines(this.buffer.flip(), ByteBuffer.wrap(value));
			this.buffer.clear();
		}
		put(CRLF);
	}

	/** Writes what the buffer holds to the transport. */
	void flush() {
		if (this.buffer.position() > 0) {
			this.transport.write(this.buffer.flip());
			this.buffer.clear();
		}
	}

	private void ascii(char type, String text) {
		ensureRoom(1 + text.length() + 2);
		this.buffer.put((byte) type);
		for (int i = 0; i < text.length(); i++) {
			this.buffer.put((byte) text.charAt(i));
		}
		this.buffer.put(CRLF);
	}

	private void header(char type, long value) {
		ensureRoom(MAX_HEADER);
		this.buffer.put((byte) type);
		// Digits from the end, on the negative value, which also holds Long.MIN_VALUE.
		int i = this.digits.length;
		long rest = (value < 0) ? value : -value;
		do {
			this.digits[--i] = (byte) ('0' - rest % 10);
			rest /= 10;
		}
		while (rest != 0);
		if (value < 0) {
			this.buffer.put((byte) '-');
		}
		this.buffer.put(this.digits, i, this.digits.length - i);
		this.buffer.put(CRLF);
	}

	private void put(byte[] bytes) {
		ensureRoom(bytes.length);
		this.buffer.put(bytes);
	}

	private void ensureRoom(int length) {
		if (this.buffer.remaining() < length) {
			flush();
		}
	}

}
