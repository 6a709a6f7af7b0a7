package io.protoloop.nio;

import java.io.IOException;

import io.protoloop.transport.spi.PendingWrites;
import io.protoloop.transport.spi.WriteBuffer;

/**
 * What a {@link SocketTransport} has accepted and the socket has not taken: its write buffer, which flow control
 * counts, and the file a {@code sendfile} is sending, which {@code close()} waits for as well.
 */
final class SocketWrites implements PendingWrites {

	final WriteBuffer buffer = new WriteBuffer();

	/** The {@code sendfile} in progress, or {@code null}. */
	FileTransfer transfer;

	@Override
	public long size() {
		return this.buffer.size();
	}

	@Override
	public boolean isEmpty() {
		return this.buffer.isEmpty() && this.transfer == null;
	}

	/** Drops the buffer; a transfer in progress fails: the connection is being torn down. */
	@Override
	public void clear() {
		this.buffer.clear();
		if (this.transfer != null) {
			this.transfer.fail(new IOException("The connection ended before sendfile was done"));
			this.transfer = null;
		}
	}

}
