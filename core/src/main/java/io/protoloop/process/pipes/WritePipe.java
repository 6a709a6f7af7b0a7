package io.protoloop.process.pipes;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WritePipeTransport;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.WriteBuffer;

/**
 * The write end of a pipe, after CPython's {@code _UnixWritePipeTransport}, on the shared lifecycle: a write
 * goes to the {@link PipeSink} at once while nothing is buffered, the rest waits in the write buffer under the
 * watermarks and drains whenever the sink can take more. {@code writeEof()} closes the pipe, as in asyncio.
 */
public final class WritePipe extends AbstractTransport<StreamProtocol> implements WritePipeTransport {

	private final PipeSink sink;

	private final WriteBuffer buffer;

	/**
	 * Creates the pipe; nothing happens until {@code start}.
	 * @param loop the loop the pipe runs on
	 * @param protocol the protocol that writes
	 * @param sink where the output goes
	 * @param settings what the transport starts with
	 * @param tracker told when the transport starts and closes
	 */
	public WritePipe(EventLoop loop, StreamProtocol protocol, PipeSink sink, TransportSettings settings,
			ConnectionTracker tracker) {
		this(loop, protocol, sink, new WriteBuffer(), settings, tracker);
	}

	private WritePipe(EventLoop loop, StreamProtocol protocol, PipeSink sink, WriteBuffer buffer,
			TransportSettings settings, ConnectionTracker tracker) {
		super(loop, protocol, buffer, settings, tracker, null, null);
		this.sink = sink;
		this.buffer = buffer;
		sink.attach(this);
	}

	@Override
	protected void callConnectionMade(StreamProtocol protocol) {
		protocol.connectionMade(this);
	}

	@Override
	public void setProtocol(StreamProtocol protocol) {
		attach(protocol);
	}

	/** A write pipe never reads. */
	@Override
	protected boolean canRead() {
		return false;
	}

	@Override
	protected void readingChanged(boolean reading) {
	}

	@Override
	protected void stopIo() {
		this.sink.awaitWritable(false);
	}

	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		this.sink.close(graceful, released);
	}

	// ---------------------------------------------------------------- writing

	@Override
	public void write(ByteBuffer data) {
		if (!data.hasRemaining() || !acceptsWrites()) {
			return;
		}
		if (this.buffer.isEmpty()) {
			try {
				recordWrite(this.sink.write(data));
			}
			catch (IOException ex) {
				failed(ex);
				return;
			}
			if (!data.hasRemaining()) {
				return;
			}
			this.sink.awaitWritable(true);
		}
		this.buffer.add(data);
		maybePauseProtocol();
	}

	@Override
	public void write(byte[] data, int offset, int length) {
		write(ByteBuffer.wrap(data, offset, length));
	}

	@Override
	public void writelines(ByteBuffer... data) {
		for (ByteBuffer each : data) {
			write(each);
		}
	}

	@Override
	public boolean canWriteEof() {
		return true;
	}

	/** Closes the pipe after flushing, as asyncio's {@code write_eof()} on a pipe does: its reader then sees EOF. */
	@Override
	public void writeEof() {
		close();
	}

	// ---------------------------------------------------------------- what the sink tells

	/** The sink can take more: drains the buffer into it, resumes the protocol, and ends a closing pipe once empty. */
	public void writable() {
		if (isConnectionLost()) {
			return;
		}
		while (!this.buffer.isEmpty()) {
			int written;
			try {
				written = this.sink.write(this.buffer.first());
			}
			catch (IOException ex) {
				failed(ex);
				return;
			}
			if (written == 0) {
				break;
			}
			this.buffer.consumed(written);
			recordWrite(written);
		}
		maybeResumeProtocol(); // may write more
		if (this.buffer.isEmpty() && !isConnectionLost()) {
			this.sink.awaitWritable(false);
			flushed();
		}
	}

	/**
	 * Writing failed (the reader closed its end, say): the pipe ends with {@code exc}.
	 * @param exc why writing failed; the protocol sees it in {@code connectionLost}
	 */
	public void failed(IOException exc) {
		fatalError(exc, "Fatal write error on pipe transport");
	}

	/**
	 * The reader has gone (a child exited): the pipe ends, with a broken-pipe error if data was still waiting to
	 * be written, as asyncio's write pipe ends when its reader closes.
	 */
	public void readerClosed() {
		if (isConnectionLost()) {
			return;
		}
		if (this.buffer.isEmpty()) {
			forceClose(null);
		}
		else {
			failed(new IOException("Broken pipe"));
		}
	}

	/** Only {@code pipe}: a pipe has no addresses. */
	@Override
	public Object getExtraInfo(String name, Object defaultValue) {
		return ExtraInfo.PIPE.equals(name) ? this.sink.pipe() : defaultValue;
	}

	@Override
	public String toString() {
		return "WritePipe[" + this.sink + (isClosing() ? ", closing" : "") + ", writeBuffer=" + getWriteBufferSize()
				+ (isWritingPaused() ? ", writing paused" : "") + "]";
	}

}
