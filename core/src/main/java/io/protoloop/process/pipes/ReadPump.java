package io.protoloop.process.pipes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;

/**
 * A {@link PipeSource} over a blocking {@link InputStream}: a daemon thread makes one blocking read per chunk,
 * adds what else the stream has ready, and hands it to the loop with {@code callSoonThreadsafe}, lending its own
 * buffer as a socket's loop lends its read buffer.
 *
 * <p>Memory stays bounded whatever the writer does: the thread reads the next chunk only once the loop has
 * delivered the previous one and only while the pipe is reading. So a paused or slow protocol stops the reads,
 * the one chunk waiting on the loop side is the thread's own read buffer (256 KiB, the pump's whole memory), and
 * a chatty child blocks on its full pipe. The end of the stream waits its turn the same way, so it never overtakes
 * data.
 *
 * <p>Closing releases the pipe only once the thread is out of its read: a thread blocked in {@code read} holds
 * the pipe's read end in the kernel even after the stream is closed, so until that read returns a writer's
 * bytes still go in (and may be read and dropped) instead of failing with a broken pipe.
 */
public final class ReadPump implements PipeSource {

	private static final System.Logger logger = System.getLogger(ReadPump.class.getName());

	/**
	 * The most one hand-over carries: CPython's pipe transports read up to 256 KiB per event too. Each hand-over
	 * costs a wake-up of the loop and one of the pump, so fewer, larger ones cost less CPU per byte.
	 */
	static final int CHUNK = 256 * 1024;

	private final EventLoop loop;

	private final InputStream in;

	private final String name;

	private ReadPipe pipe;

	/** Started by the first {@code readingChanged(true)}: a pipe closed before it reads needs no thread. */
	private Thread thread;

	/** Pump thread only: whether the stream's {@code available()} works, so a read can add what is ready. */
	private boolean tellsAvailable = true;

	/** Loop thread only: what arrived after reading paused, delivered when it resumes. */
	private Runnable held;

	// Guarded by this: what the thread and the loop share.

	private boolean reading;

	/** Set when a chunk (or the end) is on its way to the protocol, cleared once delivered. */
	private boolean handedOver;

	private boolean closed;

	/** Set while the thread is in (or about to enter) a read of the stream, which holds the pipe's read end. */
	private boolean inRead;

	/** What {@link #close} left to run on the loop once the thread's read in progress has returned. */
	private Runnable released;

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
	public void close(Runnable released) {
		boolean releasedNow;
		synchronized (this) {
			this.closed = true;
			notifyAll();
			releasedNow = !this.inRead;
			if (!releasedNow) {
				this.released = released;
			}
		}
		this.held = null;
		try {
			// Wakes a blocked read where the stream allows it (channels do); otherwise the thread ends with that read.
			this.in.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Error closing " + this.name, ex);
		}
		if (releasedNow) {
			released.run();
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
				n = readAvailable(buffer);
			}
			catch (IOException ex) {
				if (!readReturned()) {
					handOver(() -> this.pipe.failed(ex));
				}
				return;
			}
			if (readReturned()) {
				return;
			}
			if (n < 0) {
				handOver(this.pipe::ended);
				return;
			}
			// No copy: the protocol has the buffer only for the call, and the next read waits until it returned.
			ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
			handOver(() -> this.pipe.received(chunk));
		}
	}

	/**
	 * Blocks for the first bytes, then takes what else is already there without blocking (a pipe holds up to
	 * 64 KiB, so a fast writer leaves more by then), up to the buffer's size: -1 at the end of the stream.
	 */
	private int readAvailable(byte[] buffer) throws IOException {
		int n = this.in.read(buffer);
		while (n > 0 && n < buffer.length && this.tellsAvailable) {
			int available;
			try {
				available = this.in.available();
			}
			catch (IOException unsupported) {
				// A channel's stream over a FIFO cannot tell ("Illegal seek"): one read per hand-over, then.
				this.tellsAvailable = false;
				break;
			}
			if (available <= 0) {
				break;
			}
			int more = this.in.read(buffer, n, Math.min(available, buffer.length - n));
			if (more <= 0) {
				break;
			}
			n += more;
		}
		return n;
	}

	/**
	 * Waits until the pipe reads and the previous chunk was delivered, then marks the thread as reading;
	 * {@code false} once closed.
	 */
	private synchronized boolean awaitTurn() {
		while (!this.closed && (!this.reading || this.handedOver)) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				return false;
			}
		}
		this.inRead = !this.closed;
		return this.inRead;
	}

	/**
	 * The thread's read returned, so it no longer holds the pipe: hands a waiting close its {@code released}.
	 * @return whether the pump was closed meanwhile, so what the read returned goes nowhere
	 */
	private boolean readReturned() {
		Runnable done;
		synchronized (this) {
			this.inRead = false;
			done = this.released;
			this.released = null;
			if (!this.closed) {
				return false;
			}
		}
		if (done != null) {
			try {
				this.loop.callSoonThreadsafe(done);
			}
			catch (IllegalStateException closedLoop) {
				// The loop is gone, and nobody waits on it.
			}
		}
		return true;
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
