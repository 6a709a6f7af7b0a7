package io.protoloop.tls;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.WriteBuffer;

/**
 * One end of an in-process stream that hands its peer one byte per loop callback: every TLS record, handshake
 * message and alert arrives split at every possible point, which a socket on loopback almost never does. What
 * one end writes waits in its write buffer until the peer has taken it, byte by byte.
 */
final class ChunkingTransport extends AbstractTransport<StreamProtocol> implements Transport {

	private final WriteBuffer buffer;

	private ChunkingTransport peer;

	private boolean delivering;

	/** Calls to write with data: what the protocol handed the socket in one piece. */
	private int writes;

	private ChunkingTransport(EventLoop loop, StreamProtocol protocol, WriteBuffer buffer, int port) {
		super(loop, protocol, buffer, TransportSettings.DEFAULT, ConnectionTracker.NONE,
				new InetSocketAddress("127.0.0.1", port), new InetSocketAddress("127.0.0.1", 3 - port));
		this.buffer = buffer;
	}

	/**
	 * Connects {@code client} and {@code server} on {@code loop}, starts both, and returns the server's end. Call
	 * on the loop thread.
	 */
	static ChunkingTransport connect(EventLoop loop, StreamProtocol client, StreamProtocol server) {
		ChunkingTransport a = new ChunkingTransport(loop, client, new WriteBuffer(), 1);
		ChunkingTransport b = new ChunkingTransport(loop, server, new WriteBuffer(), 2);
		a.peer = b;
		b.peer = a;
		b.start(new java.util.concurrent.CompletableFuture<>());
		a.start(new java.util.concurrent.CompletableFuture<>());
		return b;
	}

	/** Returns how many writes handed this end data. Call on the loop thread. */
	int writes() {
		return this.writes;
	}

	@Override
	protected void callConnectionMade(StreamProtocol protocol) {
		protocol.connectionMade(this);
	}

	@Override
	public void setProtocol(StreamProtocol protocol) {
		attach(protocol);
	}

	@Override
	public void write(ByteBuffer data) {
		if (data.hasRemaining() && acceptsWrites()) {
			this.writes++;
			this.buffer.add(data);
			maybePauseProtocol();
			deliverSoon();
		}
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

	private void deliverSoon() {
		if (!this.delivering) {
			this.delivering = true;
			getLoop().callSoon(this::deliverOneByte);
		}
	}

	/** Hands the peer the next byte, if it reads, then comes back for the next one. */
	private void deliverOneByte() {
		this.delivering = false;
		if (this.buffer.isEmpty() || isConnectionLost() || this.peer.isConnectionLost()) {
			return;
		}
		if (this.peer.isReading()) {
			ByteBuffer first = this.buffer.first();
			ByteBuffer one = ByteBuffer.allocate(1).put(first.get()).flip();
			this.buffer.consumed(1);
			recordWrite(1);
			this.peer.recordRead(1);
			try {
				((Protocol) this.peer.getProtocol()).dataReceived(one);
			}
			catch (Throwable ex) {
				this.peer.protocolError(ex, "dataReceived");
			}
			maybeResumeProtocol();
			flushed();
		}
		deliverSoon();
	}

	@Override
	protected void readingChanged(boolean reading) {
		if (reading) {
			this.peer.deliverSoon();
		}
	}

	@Override
	protected void stopIo() {
	}

	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		this.peer.getLoop().callSoon(() -> {
			if (!this.peer.isConnectionLost()) {
				try {
					if (!this.peer.getProtocol().eofReceived()) {
						this.peer.close();
					}
				}
				catch (Throwable ex) {
					this.peer.protocolError(ex, "eofReceived");
				}
			}
		});
		released.run();
	}

	@Override
	public boolean canWriteEof() {
		return false;
	}

	@Override
	public void writeEof() {
		throw new UnsupportedOperationException("writeEof() is not needed here");
	}

}
