package io.protoloop.process.pipes;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;

/**
 * A {@link PipeSink} over a blocking {@link OutputStream}: when idle, the pump takes a copy of up to one chunk
 * (as a socket's kernel buffer takes what fits), and a daemon thread writes and flushes it, then tells the pipe
 * through {@code callSoonThreadsafe} that it can take more. What the pump has not taken stays in the pipe's write
 * buffer, under its watermarks.
 *
 * <p>The stream is closed by the thread once it has one (closing a stream from another thread can block behind
 * a write in progress), so the loop never waits for a reader.
 */
public final class WritePump implements PipeSink {

	private static final System.Logger logger = System.getLogger(WritePump.class.getName());

	/**
	 * The most the pump takes at once: each chunk costs a wake-up of the pump and one of the loop, so larger ones
	 * cost less CPU per byte; the thread's write blocks until the reader has taken it all.
	 */
	static final int CHUNK = 256 * 1024;

	private final EventLoop loop;

	private final OutputStream out;

	private final String name;

	private WritePipe pipe;

	/** Loop thread only: started by the first write. */
	private Thread thread;

	// Guarded by this: what the thread and the loop share.

	private byte[] chunk;

	/** Bytes of {@link #chunk} taken and not written yet: 0 when idle. */
	private int length;

	private boolean closed;

	/** What to run on the loop once a graceful close has written the last chunk and closed the stream. */
	private Runnable released;

	/**
	 * Creates the pump; its thread, named {@code protoloop-<name>}, starts with the first write.
	 * @param name what names the thread, such as {@code pid-4242-stdin}
	 * @param loop the loop that is told of progress
	 * @param out the stream to write
	 */
	public WritePump(EventLoop loop, OutputStream out, String name) {
		this.loop = loop;
		this.out = out;
		this.name = name;
	}

	@Override
	public void attach(WritePipe pipe) {
		this.pipe = pipe;
	}

	@Override
	public int write(ByteBuffer data) {
		int n;
		synchronized (this) {
			if (this.closed || this.length > 0) {
				return 0;
			}
			if (this.chunk == null) {
				this.chunk = new byte[CHUNK];
			}
			n = Math.min(data.remaining(), CHUNK);
			data.get(this.chunk, 0, n);
			this.length = n;
			notifyAll();
		}
		if (this.thread == null) {
			this.thread = new Thread(this::run, "protoloop-" + this.name);
			this.thread.setDaemon(true);
			this.thread.start();
		}
		return n;
	}

	/** Nothing to arrange: the thread says when it is done with each chunk anyway. */
	@Override
	public void awaitWritable(boolean on) {
	}

	@Override
	public void close(boolean graceful, Runnable released) {
		boolean threadCloses;
		synchronized (this) {
			this.closed = true;
			if (!graceful) {
				this.length = 0;
			}
			notifyAll();
			threadCloses = this.thread != null;
			if (threadCloses && graceful) {
				// Released once the last chunk is written and the stream closed.
				this.released = released;
				return;
			}
		}
		if (!threadCloses) {
			closeStream();
		}
		released.run();
	}

	@Override
	public Object pipe() {
		return this.out;
	}

	// ---------------------------------------------------------------- the thread

	private void run() {
		while (true) {
			int n;
			synchronized (this) {
				while (this.length == 0 && !this.closed) {
					try {
						wait();
					}
					catch (InterruptedException ex) {
						this.closed = true;
					}
				}
				if (this.length == 0) {
					break;
				}
				n = this.length;
			}
			IOException failure = null;
			try {
				this.out.write(this.chunk, 0, n);
				this.out.flush();
			}
			catch (IOException ex) {
				failure = ex;
			}
			synchronized (this) {
				this.length = 0;
				if (this.closed) {
					break;
				}
				this.closed = failure != null;
			}
			if (failure != null) {
				IOException error = failure;
				post(() -> this.pipe.failed(error));
				break;
			}
			if (!post(this.pipe::writable)) {
				break;
			}
		}
		closeStream();
		Runnable done;
		synchronized (this) {
			done = this.released;
			this.released = null;
		}
		if (done != null) {
			post(done);
		}
	}

	private boolean post(Runnable action) {
		try {
			this.loop.callSoonThreadsafe(action);
			return true;
		}
		catch (IllegalStateException closedLoop) {
			return false;
		}
	}

	private void closeStream() {
		try {
			this.out.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Error closing " + this.name, ex);
		}
	}

	@Override
	public String toString() {
		return "WritePump[" + this.name + "]";
	}

}
