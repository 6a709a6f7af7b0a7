package io.protoloop.transport.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.TransportSettings;

/**
 * A stream transport whose bytes go to a sink that takes what it can at once and says later when it can take
 * more (a pipe's channel or pump, a TLS layer's encryption), after CPython's {@code _UnixWritePipeTransport.write}
 * and {@code _write_ready}: a write goes to the sink directly while nothing is buffered; the rest waits in the
 * write buffer, under the watermarks, and {@link #drain()} sends it when the sink can take more. One write path,
 * so every such transport follows the same flow-control and close rules; a subclass gives only its sink
 * ({@link #send}, {@link #awaitWritable}) and calls {@link #drain()} when the sink can take more.
 */
public abstract class BufferedStreamTransport extends AbstractTransport<StreamProtocol> {

	private final WriteBuffer buffer;

	private final String writeFailure;

	/**
	 * Creates a transport; nothing happens until {@link #start}.
	 * @param loop the loop the transport runs on
	 * @param protocol the protocol the transport calls back
	 * @param settings the starting watermarks and the recorder
	 * @param tracker told when the connection starts and ends
	 * @param localAddress this end's address, or {@code null}
	 * @param remoteAddress the peer's address, or {@code null}
	 * @param writeFailure the message an {@link IOException} of {@link #send} is reported with, such as
	 * {@code "Fatal write error on pipe transport"}
	 */
	protected BufferedStreamTransport(EventLoop loop, StreamProtocol protocol, TransportSettings settings,
			ConnectionTracker tracker, SocketAddress localAddress, SocketAddress remoteAddress, String writeFailure) {
		this(loop, protocol, new WriteBuffer(), settings, tracker, localAddress, remoteAddress, writeFailure);
	}

	private BufferedStreamTransport(EventLoop loop, StreamProtocol protocol, WriteBuffer buffer,
			TransportSettings settings, ConnectionTracker tracker, SocketAddress localAddress,
			SocketAddress remoteAddress, String writeFailure) {
		super(loop, protocol, buffer, settings, tracker, localAddress, remoteAddress);
		this.buffer = buffer;
		this.writeFailure = writeFailure;
	}

	/**
	 * Hands {@code data} to the sink, which takes what it can without blocking, advancing its position; counts
	 * what went on the wire (a layer whose output goes through another transport leaves that to it).
	 * @param data the bytes to send, from its position to its limit
	 * @return how many bytes the sink took, 0 when it can take no more now
	 * @throws IOException if the sink fails: the transport then ends with it
	 */
	protected abstract int send(ByteBuffer data) throws IOException;

	/**
	 * Asks ({@code true}) to be told, through a call to {@link #drain()}, when the sink can take more, or stops
	 * asking. Nothing by default: for a sink that says so anyway.
	 * @param on {@code true} to be told, {@code false} to stop
	 */
	protected void awaitWritable(boolean on) {
	}

	/**
	 * Attaches another protocol; later callbacks go to it (no {@code connectionMade}).
	 * @param protocol the protocol that receives the callbacks from now on
	 */
	public void setProtocol(StreamProtocol protocol) {
		attach(protocol);
	}

	// ---------------------------------------------------------------- writing

	/**
	 * Sends {@code data} now, as far as the sink takes it while nothing is buffered, and buffers the rest, pausing
	 * the protocol over the high watermark. Empty writes and writes after the connection was lost are dropped.
	 * @param data the bytes to write, consumed from its position to its limit
	 */
	public final void write(ByteBuffer data) {
		if (!data.hasRemaining() || !acceptsWrites()) {
			return;
		}
		if (this.buffer.isEmpty()) {
			if (sendOrFail(data) < 0 || !data.hasRemaining() || isConnectionLost()) {
				return;
			}
			awaitWritable(true);
		}
		this.buffer.add(data);
		maybePauseProtocol();
	}

	/**
	 * Writes {@code length} bytes of {@code data} from {@code offset}, as {@link #write(ByteBuffer)} does.
	 * @param data the array holding the bytes; what is buffered is copied
	 * @param offset where in {@code data} to start
	 * @param length how many bytes
	 */
	public final void write(byte[] data, int offset, int length) {
		write(ByteBuffer.wrap(data, offset, length));
	}

	/**
	 * Writes each buffer in turn, as {@link #write(ByteBuffer)} does.
	 * @param data the buffers to write, each consumed from its position to its limit
	 */
	public final void writelines(ByteBuffer... data) {
		for (ByteBuffer each : data) {
			write(each);
		}
	}

	/**
	 * The sink can take more: sends what is buffered while it takes it, resumes the protocol at the low watermark,
	 * and, once the buffer is empty, stops waiting for the sink and ends a closing transport.
	 */
	protected final void drain() {
		while (!this.buffer.isEmpty()) {
			int taken = sendOrFail(this.buffer.first());
			if (taken < 0) {
				return;
			}
			if (taken == 0) {
				break;
			}
			this.buffer.consumed(taken);
		}
		maybeResumeProtocol(); // may write more
		if (this.buffer.isEmpty() && !isConnectionLost()) {
			awaitWritable(false);
			flushed();
		}
	}

	/** Returns how many bytes the sink took, or -1 if it failed, which ended the transport. */
	private int sendOrFail(ByteBuffer data) {
		try {
			return send(data);
		}
		catch (IOException ex) {
			fatalError(ex, this.writeFailure);
			return -1;
		}
	}

}
