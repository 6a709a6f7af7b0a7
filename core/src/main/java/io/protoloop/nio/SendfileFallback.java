package io.protoloop.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.spi.AbstractTransport;

/**
 * {@code sendfile} over a transport the kernel cannot send a file to (TLS, the test kit's), after CPython's
 * {@code _sendfile_fallback} and {@code _SendfileFallbackProtocol}: chunks of the file are read off the loop
 * thread and written one at a time, and whenever the transport pauses writing the next chunk waits for
 * {@code resumeWriting}, so the transport's buffer stays near its high watermark. Meanwhile this class is the
 * transport's protocol (reading is paused); afterwards the application's protocol is back, with the write flow
 * control state it must know about.
 */
final class SendfileFallback implements Protocol {

	private static final System.Logger logger = System.getLogger(SendfileFallback.class.getName());

	/** How much is read from the file and written at once. */
	static final int CHUNK = 64 * 1024;

	private final EventLoop loop;

	private final Transport transport;

	private final StreamProtocol application;

	private final FileChannel file;

	private final long offset;

	private final long end;

	private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);

	private final CompletableFuture<Long> result = new CompletableFuture<>();

	private final boolean resumeReading;

	private final boolean pausedAtStart;

	private boolean paused;

	/** A chunk read while writing was paused, written at {@code resumeWriting}. */
	private boolean chunkWaiting;

	private long sent;

	private boolean done;

	private SendfileFallback(EventLoop loop, Transport transport, FileChannel file, long offset, long count) {
		this.loop = loop;
		this.transport = transport;
		this.application = transport.getProtocol();
		this.file = file;
		this.offset = offset;
		this.end = (count < 0 || Long.MAX_VALUE - offset < count) ? Long.MAX_VALUE : offset + count;
		this.resumeReading = transport.isReading();
		this.pausedAtStart = transport instanceof AbstractTransport<?> base && base.isWritingPaused();
		this.paused = this.pausedAtStart;
	}

	/** Sends the file; see {@code EventLoop.sendfile}. Call on the transport's loop thread. */
	static CompletableFuture<Long> send(EventLoop loop, Transport transport, FileChannel file, long offset,
			long count) {
		if (transport.isClosing()) {
			return CompletableFuture.failedFuture(new IllegalStateException("Transport is closing"));
		}
		SendfileFallback sender = new SendfileFallback(loop, transport, file, offset, count);
		transport.pauseReading();
		transport.setProtocol(sender);
		sender.readNext();
		return sender.result;
	}

	private void readNext() {
		long position = this.offset + this.sent;
		if (position >= this.end) {
			finish(null);
			return;
		}
		this.chunk.clear().limit((int) Math.min(CHUNK, this.end - position));
		this.loop.runInExecutor(null, () -> this.file.read(this.chunk, position)).whenComplete(this::chunkRead);
	}

	private void chunkRead(Integer n, Throwable error) {
		if (this.done) {
			return;
		}
		if (error != null || n <= 0) {
			finish(error);
			return;
		}
		this.chunk.flip();
		if (this.paused) {
			this.chunkWaiting = true;
		}
		else {
			writeChunk();
		}
	}

	private void writeChunk() {
		int n = this.chunk.remaining();
		try {
			this.transport.write(this.chunk);
		}
		catch (RuntimeException ex) {
			finish(ex);
			return;
		}
		this.sent += n;
		readNext();
	}

	// ---------------------------------------------------------------- the transport's callbacks meanwhile

	@Override
	public void pauseWriting() {
		this.paused = true;
	}

	@Override
	public void resumeWriting() {
		this.paused = false;
		if (this.chunkWaiting) {
			this.chunkWaiting = false;
			writeChunk();
		}
	}

	/** Data that was on its way when reading paused: the application's, as CPython has it fail instead. */
	@Override
	public void dataReceived(ByteBuffer data) {
		if (!(this.application instanceof Protocol protocol)) {
			throw new IllegalStateException("Invalid state: reading should be paused during sendfile");
		}
		protocol.dataReceived(data);
	}

	@Override
	public boolean eofReceived() {
		return this.application.eofReceived();
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.done = true;
		this.transport.setProtocol(this.application);
		this.result.completeExceptionally(
				(exc != null) ? exc : new IOException("The connection was closed during sendfile"));
		this.application.connectionLost(exc);
	}

	// ---------------------------------------------------------------- the end

	/** Gives the transport back to the application's protocol and completes (or fails) the future. */
	private void finish(Throwable error) {
		if (this.done) {
			return;
		}
		this.done = true;
		if (this.sent > 0) {
			try {
				this.file.position(this.offset + this.sent);
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, () -> "Could not move the position of " + this.file, ex);
			}
		}
		this.transport.setProtocol(this.application);
		if (this.paused != this.pausedAtStart) {
			tellApplication(this.paused);
		}
		if (this.resumeReading) {
			this.transport.resumeReading();
		}
		if (error != null) {
			this.result.completeExceptionally(error);
		}
		else {
			this.result.complete(this.sent);
		}
	}

	/** The application did not hear of the pause (or resume) that happened meanwhile: it does now, paired. */
	private void tellApplication(boolean pause) {
		String callback = pause ? "pauseWriting" : "resumeWriting";
		try {
			if (pause) {
				this.application.pauseWriting();
			}
			else {
				this.application.resumeWriting();
			}
		}
		catch (RuntimeException ex) {
			this.loop.callExceptionHandler(new ExceptionContext("protocol." + callback + "() failed", ex,
					this.transport, this.application, null));
		}
	}

	@Override
	public String toString() {
		return "SendfileFallback[" + this.sent + " bytes sent, " + this.transport + "]";
	}

}
