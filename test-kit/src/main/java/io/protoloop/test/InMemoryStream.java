package io.protoloop.test;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * One end of an in-memory stream: it reads from the pipe its peer writes to and writes to the pipe its peer
 * reads from. Reading takes one chunk per loop callback, at most 64 KiB as a socket transport reads; EOF follows
 * the data. Aborting resets both pipes, so the peer's connection ends with an {@link IOException} as after a
 * socket reset; after a clean close the peer reads EOF.
 */
class InMemoryStream extends InMemoryEndpoint<StreamProtocol> implements Transport {

	/** The most one read delivers: the size of a socket loop's read buffer. */
	private static final int MAX_READ = 64 * 1024;

	final Pipe in;

	final Pipe out;

	private boolean eofReceived;

	private boolean eofWritten;

	/** Creates an end that reads {@code in} and writes {@code out}; nothing happens until {@code start}. */
	InMemoryStream(EventLoop loop, StreamProtocol protocol, Pipe in, Pipe out, TransportSettings settings,
			ConnectionTracker tracker, SocketAddress localAddress, SocketAddress remoteAddress, Driver driver) {
		super(loop, protocol, out, settings, tracker, localAddress, remoteAddress, driver);
		this.in = in;
		this.out = out;
		in.readBy(this::wake);
		out.writtenBy(this::wake);
	}

	@Override
	protected void callConnectionMade(StreamProtocol protocol) {
		callback("connectionMade", () -> protocol.connectionMade(this));
	}

	@Override
	void poll() {
		IOException reset = (this.in.resetCause() != null) ? this.in.resetCause() : this.out.resetCause();
		if (reset != null) {
			fatalError(reset, "Connection reset on in-memory transport");
			return;
		}
		long sent = this.out.takenSinceAsked();
		if (sent > 0) {
			recordWrite(sent);
			maybeResumeProtocol(); // may write more, or close
			flushed();
		}
		if (isReading() && canRead()) {
			read();
		}
	}

	// ---------------------------------------------------------------- reading

	@Override
	protected boolean canRead() {
		return !this.eofReceived;
	}

	private void read() {
		if (!this.in.hasData()) {
			if (this.in.isEofWritten()) {
				readEof();
			}
			return;
		}
		if (getProtocol() instanceof BufferedProtocol buffered) {
			ByteBuffer target = query("getBuffer", () -> nonEmpty(buffered.getBuffer(-1)));
			if (target == null) {
				return;
			}
			int n = this.in.readInto(target);
			recordRead(n);
			callback("bufferUpdated", () -> buffered.bufferUpdated(n));
		}
		else {
			ByteBuffer data = this.in.read(MAX_READ);
			recordRead(data.remaining());
			callback("dataReceived", () -> ((Protocol) getProtocol()).dataReceived(data));
		}
		wake(); // the rest, or EOF, in a later callback: one read per readiness, as over a socket
	}

	private static ByteBuffer nonEmpty(ByteBuffer buffer) {
		if (buffer == null || !buffer.hasRemaining()) {
			throw new IllegalStateException("getBuffer() returned an empty buffer");
		}
		return buffer;
	}

	private void readEof() {
		this.eofReceived = true;
		if (Boolean.FALSE.equals(query("eofReceived", getProtocol()::eofReceived))) {
			close();
		}
	}

	// ---------------------------------------------------------------- writing

	@Override
	public void write(ByteBuffer data) {
		run(() -> {
			if (acceptsWrite(data.remaining())) {
				this.out.write(data);
				maybePauseProtocol();
			}
		});
	}

	@Override
	public void write(byte[] data, int offset, int length) {
		write(ByteBuffer.wrap(data, offset, length));
	}

	/** Writes the buffers in order, checking the high watermark once at the end, as a gathering write does. */
	@Override
	public void writelines(ByteBuffer... data) {
		run(() -> {
			long total = 0;
			for (ByteBuffer each : data) {
				total += each.remaining();
			}
			if (acceptsWrite(total)) {
				for (ByteBuffer each : data) {
					this.out.write(each);
				}
				maybePauseProtocol();
			}
		});
	}

	private boolean acceptsWrite(long length) {
		if (this.eofWritten) {
			throw new IllegalStateException("Cannot call write() after writeEof()");
		}
		return length > 0 && acceptsWrites();
	}

	@Override
	public boolean canWriteEof() {
		return true;
	}

	/** Ends the output: the peer reads EOF after the pending data. Ignored once closing; idempotent. */
	@Override
	public void writeEof() {
		run(() -> {
			if (!isClosing() && !this.eofWritten) {
				this.eofWritten = true;
				this.out.writeEof();
			}
		});
	}

	/**
	 * {@return {@code true} once the protocol called {@link #writeEof()}}
	 */
	public boolean isEofWritten() {
		return this.eofWritten;
	}

	// ---------------------------------------------------------------- the end

	@Override
	protected void stopIo() {
		IOException reset = new IOException("Connection reset by peer");
		this.in.reset(reset);
		this.out.reset(reset);
	}

	/** Sends EOF after what was written; a clean end lingers (discards input), any other resets what is unread. */
	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		this.out.writeEof();
		if (graceful) {
			this.in.discardReading();
		}
		else {
			this.in.closeReading();
		}
		released.run();
	}

}
