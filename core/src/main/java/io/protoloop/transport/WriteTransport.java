package io.protoloop.transport;

import java.nio.ByteBuffer;

/** The sending side of a stream transport, with write flow control (see {@link WriteBufferControl}). */
public interface WriteTransport extends WriteBufferControl {

	/**
	 * Closes the transport at once: buffered data is dropped and no more data is received. The protocol's
	 * {@code connectionLost(null)} is called soon after. Idempotent.
	 */
	void abort();

	/**
	 * {@return {@code true} if this transport supports {@link #writeEof()}}
	 */
	boolean canWriteEof();

	/**
	 * Writes bytes. Never blocks: what the socket does not accept at once is copied into the write buffer and
	 * sent when the socket is writable. Ignored once the transport is closing.
	 * @param data the bytes between position and limit; on return the buffer may be reused by the caller
	 * @throws IllegalStateException if {@link #writeEof()} was called
	 */
	void write(ByteBuffer data);

	/**
	 * Writes all of {@code data}; see {@link #write(ByteBuffer)}. The array may be reused on return.
	 * @param data the bytes between position and limit; on return the buffer may be reused by the caller
	 */
	default void write(byte[] data) {
		write(data, 0, data.length);
	}

	/**
	 * Writes {@code length} bytes of {@code data} from {@code offset}; see {@link #write(ByteBuffer)}.
	 * @param data the bytes between position and limit; on return the buffer may be reused by the caller
	 * @param offset where in {@code data} to start
	 * @param length how many bytes
	 */
	void write(byte[] data, int offset, int length);

	/**
	 * Writes several buffers in order, as one gathering write where possible: equivalent to calling
	 * {@link #write(ByteBuffer)} on each.
	 * @param data the bytes between position and limit; on return the buffer may be reused by the caller
	 */
	void writelines(ByteBuffer... data);

	/**
	 * Closes the write end after flushing buffered data (a half-close); data may still be received.
	 * @throws UnsupportedOperationException if the transport cannot half-close (see {@link #canWriteEof()})
	 */
	void writeEof();

}
