package io.protoloop.process.pipes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Arrays;

import io.protoloop.loop.EventLoop;

/**
 * A {@link PipeSource} over a blocking {@link InputStream}: a daemon thread makes one blocking read per chunk
 * and hands a copy of it to the loop with {@code callSoonThreadsafe}.
 *
 * <p>Memory stays bounded whatever the writer does: the thread reads the next chunk only once the loop has
 * delivered the previous one and only while the pipe is reading. So a paused or slow protocol stops the reads,
 * at most one chunk waits on the loop side (besides the thread's read buffer), and a chatty child blocks on its
 * full pipe. The end of the stream waits its turn the same way, so it never overtakes data.
 */
public final class ReadPump implements PipeSource {

	private static final System.Logger logger = System.getLogger(ReadPump.class.getName());

	/** The most one read takes: a socket loop's read buffer. */
	static final int CHUNK = 64 * 1024;

	private final EventLoop loop;

	private final InputStream in;

	private final String name;

	private ReadPipe pipe;

	/** Started by the first {@code readingChanged(true)}: a pipe closed before it reads needs no thread. */
	private Thread thread;

	/** Loop thread only: what arrived after reading paused, delivered when it resumes. */
	private Runnable held;

	// Guarded by this: what the thread and the loop share.

	private boolean reading;

	/** Set when a chunk (or the end) is on its way to the protocol, cleared once delivered. */
	private boolean handedOver;

	private boolean closed;

	/**
	 * Creates the pump; its thread, named {@code protoloop-<name>}, starts when reading does.
	 * @param name what names the thread, such as {@code pid-4242-stdout}
	 * @param loop the loop the input is handed to
	 * @param in the stream to read
	 */
	public ReadPump(EventLoop loop, InputStream in, String name) {
		this.loop = loop;
		this.in = in;
		this.name = name;
	}

	@Override
	public void attach(ReadPipe pipe) {
		this.pipe = pipe;
	}

	@Override
	public void readingChanged(boolean reading) {
		synchronized (this) {
			this.reading = reading;
			notifyAll();
		}
		if (!reading) {
			return;
		}
		if (this.thread == null) {
			this.thread = new Thread(this::run, "protoloop-" + this.name);
			this.thread.setDaemon(true);
			this.thread.start();
		}
		if (this.held != null) {
			// In a callback of its own, as a socket's data comes after resumeReading() returns.
			Runnable event = this.held;
			this.held = null;
			this.loop.callSoon(() -> arrive(event));
		}
	}

	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
			notifyAll();
		}
		this.held = null;
		try {
			// Wakes a blocked read where the stream allows it (channels do); otherwise the thread ends with that read.
			this.in.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Error closing " + this.name, ex);
		}
	}

	@Override
	public Object pipe() {
		return this.in;
	}

	// ---------------------------------------------------------------- the loop side

	/** A chunk, the end or an error reached the loop: delivers it, or holds it while reading is paused. */
	private void arrive(Runnable event) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			if (!this.reading) {
				this.held = event;
				return;
			}
		}
		event.run();
		synchronized (this) {
			this.handedOver = false;
			notifyAll();
		}
	}

	// ---------------------------------------------------------------- the thread

	private void run() {
		byte[] buffer = new byte[CHUNK];
		while (awaitTurn()) {
			int n;
			try {
				n = this.in.read(buffer);
			}
			catch (IOException ex) {
				if (!isClosed()) {
					handOver(() -> this.pipe.failed(ex));
				}
				return;
			}
			if (n < 0) {
				handOver(this.pipe::ended);
				return;
			}
			ByteBuffer chunk = ByteBuffer.wrap(Arrays.copyOf(buffer, n));
			handOver(() -> this.pipe.received(chunk));
		}
	}

	/** Waits until the pipe reads and the previous chunk was delivered; {@code false} once closed. */
	private synchronized boolean awaitTurn() {
		while (!this.closed && (!this.reading || this.handedOver)) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				return false;
			}
		}
		return !this.closed;
	}

	private synchronized boolean isClosed() {
		return this.closed;
	}

	private void handOver(Runnable event) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.handedOver = true;
		}
		try {
			this.loop.callSoonThreadsafe(() -> arrive(event));
		}
		catch (IllegalStateException closedLoop) {
			// The loop is gone, and the pipe with it.
		}
	}

	@Override
	public String toString() {
		return "ReadPump[" + this.name + "]";
	}

}
