package io.protoloop.process.pipes;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WritePipeTransport;
import io.protoloop.transport.spi.BufferedStreamTransport;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * The write end of a pipe, after CPython's {@code _UnixWritePipeTransport}, on the shared lifecycle: a write
 * goes to the {@link PipeSink} at once while nothing is buffered, the rest waits in the write buffer under the
 * watermarks and drains whenever the sink can take more. {@code writeEof()} closes the pipe, as in asyncio.
 */
public final class WritePipe extends BufferedStreamTransport implements WritePipeTransport {

	private static final String WRITE_ERROR = "Fatal write error on pipe transport";

	private final PipeSink sink;

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
		super(loop, protocol, settings, tracker, null, null, WRITE_ERROR);
		this.sink = sink;
		sink.attach(this);
	}

	@Override
	protected void callConnectionMade(StreamProtocol protocol) {
		protocol.connectionMade(this);
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

	/** What the sink takes goes on the wire, so it is counted here. */
	@Override
	protected int send(ByteBuffer data) throws IOException {
		int written = this.sink.write(data);
		recordWrite(written);
		return written;
	}

	@Override
	protected void awaitWritable(boolean on) {
		this.sink.awaitWritable(on);
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
		if (!isConnectionLost()) {
			drain();
		}
	}

	/**
	 * Writing failed (the reader closed its end, say): the pipe ends with {@code exc}.
	 * @param exc why writing failed; the protocol sees it in {@code connectionLost}
	 */
	public void failed(IOException exc) {
		fatalError(exc, WRITE_ERROR);
	}

	/**
	 * The reader has gone (a child exited): the pipe ends, with a broken-pipe error if data was still waiting to
	 * be written, as asyncio's write pipe ends when its reader closes.
	 */
	public void readerClosed() {
		if (isConnectionLost()) {
			return;
		}
		if (getWriteBufferSize() == 0) {
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
