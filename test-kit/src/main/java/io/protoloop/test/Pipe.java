package io.protoloop.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import io.protoloop.transport.spi.PendingWrites;

/**
 * One direction of an in-memory stream: what the writing end wrote and the reading end has not taken yet. It is
 * the writer's write buffer, so the writer's flow control sees exactly what its peer has not read, as over a
 * socket with no kernel buffer. Each write stays a chunk of its own: a read never spans two writes.
 *
 * <p>Each end registers a wake-up, called whenever something changed for it: data or EOF arrived (reader), data
 * was taken (writer), or the connection was reset (both). The test playing a peer registers none.
 */
final class Pipe implements PendingWrites {

	private static final Runnable NOBODY = () -> {
	};

	private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();

	/** Every byte ever written, for the test kit's {@code written()}; {@code null} when not kept. */
	private final ByteArrayOutputStream history;

	private Runnable reader = NOBODY;

	private Runnable writer = NOBODY;

	/** Volatile so that gauges on other threads can read it; written by the loop thread only. */
	private volatile long size;

	private long takenSinceAsked;

	private boolean eof;

	private boolean readerGone;

	/** The reader closed cleanly and lingers: it discards what arrives instead of resetting, as a socket does. */
	private boolean discarding;

	private IOException reset;

	/** Creates a pipe; {@code keepHistory} keeps a copy of every byte written. */
	Pipe(boolean keepHistory) {
		this.history = keepHistory ? new ByteArrayOutputStream() : null;
	}

	/** Registers the reading end's wake-up. */
	void readBy(Runnable wakeUp) {
		this.reader = wakeUp;
	}

	/** Registers the writing end's wake-up. */
	void writtenBy(Runnable wakeUp) {
		this.writer = wakeUp;
	}

	// ---------------------------------------------------------------- the writing end

	/**
	 * Appends a copy of the remaining bytes of {@code data}, consuming them. Once reset, they are dropped; once
	 * the reader is gone, they reset the connection, as writing to a closed socket does.
	 */
	void write(ByteBuffer data) {
		if (this.discarding && this.reset == null) {
			byte[] dropped = new byte[data.remaining()];
			data.get(dropped);
			if (this.history != null) {
				this.history.write(dropped, 0, dropped.length);
			}
			this.takenSinceAsked += dropped.length;
			return;
		}
		if (this.readerGone) {
			reset(new IOException("Connection reset by peer: it closed without reading"));
		}
		if (this.reset != null) {
			data.position(data.limit());
			return;
		}
		ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
		if (this.history != null) {
			this.history.write(copy.array(), 0, copy.limit());
		}
		this.chunks.add(copy);
		this.size += copy.limit();
		this.reader.run();
	}

	/** Marks the end of the data: the reader sees EOF once it has taken every chunk. Idempotent. */
	void writeEof() {
		if (!this.eof) {
			this.eof = true;
			this.reader.run();
		}
	}

	/** Returns {@code true} once the writer wrote EOF. */
	boolean isEofWritten() {
		return this.eof;
	}

	/** Returns how many bytes the reader took since the last call, for the writer's accounting. */
	long takenSinceAsked() {
		long taken = this.takenSinceAsked;
		this.takenSinceAsked = 0;
		return taken;
	}

	@Override
	public long size() {
		return this.size;
	}

	/** Drops the chunks not read yet (the writer aborted); they stay in the history. */
	@Override
	public void clear() {
		this.chunks.clear();
		this.size = 0;
	}

	/** Returns every byte ever written, read or not. */
	byte[] history() {
		return this.history.toByteArray();
	}

	// ---------------------------------------------------------------- the reading end

	/** Returns {@code true} if a chunk waits to be read. */
	boolean hasData() {
		return !this.chunks.isEmpty();
	}

	/** Takes up to {@code max} bytes of the oldest chunk, as a buffer the reader may consume. */
	ByteBuffer read(int max) {
		ByteBuffer head = this.chunks.getFirst();
		int n = Math.min(max, head.remaining());
		ByteBuffer data = head.slice(head.position(), n);
		taken(head, n);
		return data;
	}

	/** Copies as much of the oldest chunk as fits into {@code target}; returns the number of bytes. */
	int readInto(ByteBuffer target) {
		ByteBuffer head = this.chunks.getFirst();
		int n = Math.min(target.remaining(), head.remaining());
		target.put(target.position(), head, head.position(), n).position(target.position() + n);
		taken(head, n);
		return n;
	}

	/** Takes up to {@code max} bytes across chunks, for a test reading as the peer. */
	byte[] take(int max) {
		ByteBuffer taken = ByteBuffer.allocate((int) Math.min(max, this.size));
		while (taken.hasRemaining()) {
			readInto(taken);
		}
		return taken.array();
	}

	private void taken(ByteBuffer head, int n) {
		head.position(head.position() + n);
		if (!head.hasRemaining()) {
			this.chunks.removeFirst();
		}
		this.size -= n;
		this.takenSinceAsked += n;
		this.writer.run();
	}

	/**
	 * The reader is gone: what it left unread resets the connection, and so will later writes, as a socket
	 * closed with unread data answers with a reset.
	 */
	void closeReading() {
		this.readerGone = true;
		if (hasData()) {
			reset(new IOException("Connection reset by peer: it closed without reading everything"));
		}
	}

	/**
	 * The reader closed cleanly: it lingers, discarding what it left unread and what comes later, so the writer is
	 * never reset for it (the socket transports' lingering close).
	 */
	void discardReading() {
		this.readerGone = true;
		this.discarding = true;
		this.takenSinceAsked += this.size;
		clear();
		this.writer.run();
	}

	// ---------------------------------------------------------------- both ends

	/** Ends the connection abruptly: drops the chunks and wakes both ends. The first cause sticks. */
	void reset(IOException cause) {
		if (this.reset == null) {
			this.reset = cause;
			clear();
			this.reader.run();
			this.writer.run();
		}
	}

	/** Returns the cause of the reset, or {@code null}. */
	IOException resetCause() {
		return this.reset;
	}

}
