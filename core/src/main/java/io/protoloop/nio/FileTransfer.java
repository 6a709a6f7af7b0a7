package io.protoloop.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One zero-copy {@code sendfile} on a {@link SocketTransport}, after CPython's {@code _sendfile_native} and
 * {@code sock_sendfile}: once the transport's write buffer has drained, {@link FileChannel#transferTo} has the
 * kernel copy the file to the socket, as much as the socket takes; when it takes nothing the transfer waits for
 * {@code OP_WRITE}, so it goes no faster than the peer reads. Each wake-up moves at most
 * {@link #MAX_PER_WAKEUP} bytes, so other channels of the loop get their turn.
 */
final class FileTransfer {

	private static final System.Logger logger = System.getLogger(FileTransfer.class.getName());

	/** The most one wake-up sends before letting the loop serve others. */
	static final long MAX_PER_WAKEUP = 4 * 1024 * 1024;

	private final SocketTransport transport;

	private final StreamSocket socket;

	private final FileChannel file;

	private final long offset;

	/** Where to stop: {@code offset + count}, or {@link Long#MAX_VALUE} for the end of the file. */
	private final long end;

	private long position;

	/** Whether the transport read before the transfer paused it. */
	final boolean resumeReading;

	final CompletableFuture<Long> result = new CompletableFuture<>();

	FileTransfer(SocketTransport transport, StreamSocket socket, FileChannel file, long offset, long count,
			boolean resumeReading) {
		this.transport = transport;
		this.socket = socket;
		this.file = file;
		this.offset = offset;
		this.end = (count < 0 || Long.MAX_VALUE - offset < count) ? Long.MAX_VALUE : offset + count;
		this.position = offset;
		this.resumeReading = resumeReading;
	}

	/**
	 * The socket can take more (and the write buffer is empty): sends the next part of the file, and tells the
	 * transport when the transfer is done. {@code OP_WRITE} stays on otherwise.
	 */
	void writable() {
		long budget = MAX_PER_WAKEUP;
		try {
			while (this.position < this.end) {
				if (budget <= 0) {
					return;
				}
				long sent = this.socket.transferFrom(this.file, this.position, Math.min(this.end - this.position,
						budget));
				if (sent == 0 && this.position < this.file.size()) {
					return; // the socket is full
				}
				if (sent == 0) {
					break; // the file ended before count
				}
				this.position += sent;
				budget -= sent;
				this.transport.recordSent(sent);
			}
		}
		catch (IOException ex) {
			this.transport.transferFailed(this, ex);
			return;
		}
		this.transport.transferDone(this);
	}

	/** Completes the future with the count sent, leaving the file's position after it, as asyncio does. */
	void complete() {
		leavePosition();
		this.result.complete(this.position - this.offset);
	}

	/** Fails the future, unless it is done: the connection ended during the transfer. */
	void fail(Throwable cause) {
		leavePosition();
		this.result.completeExceptionally(cause);
	}

	private void leavePosition() {
		if (this.position > this.offset) {
			try {
				this.file.position(this.position);
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, () -> "Could not move the position of " + this.file, ex);
			}
		}
	}

}
