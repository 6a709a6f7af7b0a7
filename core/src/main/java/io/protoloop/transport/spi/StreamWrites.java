package io.protoloop.transport.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The buffered write path of a stream transport whose bytes go to a {@link Sink} that takes what it can at once
 * and says later when it can take more (a pipe's channel or pump, a TLS layer's encryption), after CPython's
 * {@code _UnixWritePipeTransport.write} and {@code _write_ready}: a write goes to the sink directly while nothing
 * is buffered; the rest waits in the transport's {@link WriteBuffer}, under the watermarks, and {@link #drain()}
 * sends it when the sink can take more. One mechanism, so every such transport follows the same flow-control and
 * close rules; the transport keeps only its sink.
 */
public final class StreamWrites {

	/** Where a transport's bytes go: it takes what it can now, and the transport calls {@link #drain()} later. */
	@FunctionalInterface
	public interface Sink {

		/**
		 * Takes what it can of {@code data} without blocking, advancing its position, and counts what it put on
		 * the wire (a layer whose output goes through another transport leaves that to it).
		 * @param data the bytes to send, from its position to its limit
		 * @return how many bytes it took, 0 when it can take no more now
		 * @throws IOException if the channel fails: the transport then ends with it
		 */
		int send(ByteBuffer data) throws IOException;

		/**
		 * Asks ({@code true}) to have {@link StreamWrites#drain()} called when the sink can take more, or stops
		 * asking. Nothing by default: for a sink that calls it anyway.
		 * @param on {@code true} to be told, {@code false} to stop
		 */
		default void awaitWritable(boolean on) {
		}

	}

	private final AbstractTransport<?> transport;

	private final WriteBuffer buffer;

	private final Sink sink;

	private final String failure;

	/**
	 * Creates the write path of {@code transport}.
	 * @param transport the transport that writes: its flow control, accounting and close follow this write path
	 * @param buffer the transport's pending writes, the same it gave {@link AbstractTransport}'s constructor
	 * @param sink where the bytes go
	 * @param failure the message an {@link IOException} of the sink is reported with, such as
	 * {@code "Fatal write error on pipe transport"}
	 */
	public StreamWrites(AbstractTransport<?> transport, WriteBuffer buffer, Sink sink, String failure) {
		this.transport = transport;
		this.buffer = buffer;
		this.sink = sink;
		this.failure = failure;
	}

	/**
	 * Sends {@code data} now, as far as the sink takes it while nothing is buffered, and buffers the rest, pausing
	 * the protocol over the high watermark. Empty writes and writes after the connection was lost are dropped.
	 * @param data the bytes to write, consumed from its position to its limit
	 */
	public void write(ByteBuffer data) {
		if (!data.hasRemaining() || !this.transport.acceptsWrites()) {
			return;
		}
		if (this.buffer.isEmpty()) {
			if (send(data) < 0 || !data.hasRemaining() || this.transport.isConnectionLost()) {
				return;
			}
			this.sink.awaitWritable(true);
		}
		this.buffer.add(data);
		this.transport.maybePauseProtocol();
	}

	/**
	 * Writes {@code length} bytes of {@code data} from {@code offset}, as {@link #write(ByteBuffer)} does.
	 * @param data the array holding the bytes; what is buffered is copied
	 * @param offset where in {@code data} to start
	 * @param length how many bytes
	 */
	public void write(byte[] data, int offset, int length) {
		write(ByteBuffer.wrap(data, offset, length));
	}

	/**
	 * Writes each buffer in turn, as {@link #write(ByteBuffer)} does.
	 * @param data the buffers to write, each consumed from its position to its limit
	 */
	public void writelines(ByteBuffer... data) {
		for (ByteBuffer each : data) {
			write(each);
		}
	}

	/**
	 * The sink can take more: sends what is buffered while it takes it, resumes the protocol at the low watermark,
	 * and, once the buffer is empty, stops waiting for the sink and ends a closing transport.
	 */
	public void drain() {
		while (!this.buffer.isEmpty()) {
			int taken = send(this.buffer.first());
			if (taken < 0) {
				return;
			}
			if (taken == 0) {
				break;
			}
			this.buffer.consumed(taken);
		}
		this.transport.maybeResumeProtocol(); // may write more
		if (this.buffer.isEmpty() && !this.transport.isConnectionLost()) {
			this.sink.awaitWritable(false);
			this.transport.flushed();
		}
	}

	/** Hands {@code data} to the sink; returns how many bytes it took, or -1 if it failed, which ended the transport. */
	private int send(ByteBuffer data) {
		try {
			return this.sink.send(data);
		}
		catch (IOException ex) {
			this.transport.fatalError(ex, this.failure);
			return -1;
		}
	}

}
