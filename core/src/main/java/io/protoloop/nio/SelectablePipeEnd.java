package io.protoloop.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

import io.protoloop.process.pipes.PipeSink;
import io.protoloop.process.pipes.PipeSource;
import io.protoloop.process.pipes.ReadPipe;
import io.protoloop.process.pipes.WritePipe;

/**
 * One end of a {@link Pipe} on the loop's selector, after CPython's pipe transports over a file descriptor: the
 * source of a {@link ReadPipe} (read into the loop's read buffer when readable) or the sink of a
 * {@link WritePipe} (written without blocking, {@code OP_WRITE} while it is full). No thread is involved.
 */
final class SelectablePipeEnd implements PipeSource, PipeSink, SelectorHandler {

	private static final System.Logger logger = System.getLogger(SelectablePipeEnd.class.getName());

	private final SelectorEventLoop loop;

	private final SelectableChannel channel;

	private final SelectionKey key;

	private ReadPipe reader;

	private WritePipe writer;

	/** Registers {@code channel} (a {@link Pipe.SourceChannel} or {@link Pipe.SinkChannel}); loop thread. */
	SelectablePipeEnd(SelectorEventLoop loop, SelectableChannel channel) throws IOException {
		this.loop = loop;
		this.channel = channel;
		channel.configureBlocking(false);
		this.key = loop.register(channel, 0, this);
	}

	@Override
	public void attach(ReadPipe pipe) {
		this.reader = pipe;
	}

	@Override
	public void attach(WritePipe pipe) {
		this.writer = pipe;
	}

	@Override
	public void readingChanged(boolean reading) {
		setInterest(reading ? SelectionKey.OP_READ : 0);
	}

	@Override
	public void awaitWritable(boolean on) {
		setInterest(on ? SelectionKey.OP_WRITE : 0);
	}

	private void setInterest(int ops) {
		if (this.key.isValid() && this.key.interestOps() != ops) {
			this.key.interestOps(ops);
		}
	}

	@Override
	public int write(ByteBuffer data) throws IOException {
		return ((Pipe.SinkChannel) this.channel).write(data);
	}

	@Override
	public void onReady(int readyOps) {
		if (this.writer != null) {
			this.writer.writable();
			return;
		}
		ByteBuffer data = this.loop.readBuffer();
		int n;
		try {
			n = ((Pipe.SourceChannel) this.channel).read(data);
		}
		catch (IOException ex) {
			this.reader.failed(ex);
			return;
		}
		if (n > 0) {
			this.reader.received(data.flip());
		}
		else if (n < 0) {
			this.reader.ended();
		}
	}

	@Override
	public void close(Runnable released) {
		closeChannel();
		released.run();
	}

	private void closeChannel() {
		this.key.cancel();
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Error closing " + this.channel, ex);
		}
	}

	/** Written at once, so there is nothing left to write: the channel closes now either way. */
	@Override
	public void close(boolean graceful, Runnable released) {
		closeChannel();
		released.run();
	}

	@Override
	public Object pipe() {
		return this.channel;
	}

	@Override
	public String toString() {
		return "SelectablePipeEnd[" + this.channel + "]";
	}

}
