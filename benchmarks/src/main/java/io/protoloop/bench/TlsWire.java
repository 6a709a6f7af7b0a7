package io.protoloop.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSession;

/**
 * The client end of a TLS connection over a non-blocking socket, with the JDK's {@link SSLEngine}. The engine is
 * made without the server's address, so no session is resumed: every connection does a full handshake. Records
 * are batched: up to four go out in one write and come in with one read. Delegated tasks run inline. The buffers
 * are on the heap, where the engine works anyway, so a new connection per handshake costs no direct memory.
 */
final class TlsWire implements Wire {

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	/** Records per socket read or write. */
	private static final int RECORDS_PER_IO = 4;

	private final SocketChannel channel;

	private final SSLEngine engine;

	/** Records read and not decrypted yet, in write mode. */
	private final ByteBuffer netIn;

	/** Records to send, in read mode. */
	private final ByteBuffer netOut;

	/** Decrypted and not handed out yet, in read mode. */
	private final ByteBuffer plainIn;

	private final int packetSize;

	TlsWire(SocketChannel channel, SSLContext context) throws IOException {
		this.channel = channel;
		this.engine = context.createSSLEngine();
		this.engine.setUseClientMode(true);
		SSLSession session = this.engine.getSession();
		this.packetSize = session.getPacketBufferSize();
		this.netIn = ByteBuffer.allocate(this.packetSize * RECORDS_PER_IO);
		this.netOut = ByteBuffer.allocate(this.packetSize * RECORDS_PER_IO).flip();
		this.plainIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
		this.engine.beginHandshake();
	}

	/** Returns the negotiated protocol and cipher suite, such as {@code TLSv1.3 TLS_AES_256_GCM_SHA384}. */
	String session() {
		return this.engine.getSession().getProtocol() + " " + this.engine.getSession().getCipherSuite();
	}

	@Override
	public boolean handshake() throws IOException {
		while (true) {
			if (!flush()) {
				return false;
			}
			switch (this.engine.getHandshakeStatus()) {
				case NEED_WRAP -> wrap(EMPTY);
				case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
					int read = readRecords();
					SSLEngineResult.Status status = unwrap().getStatus();
					if (status == SSLEngineResult.Status.CLOSED || (read < 0
							&& status == SSLEngineResult.Status.BUFFER_UNDERFLOW)) {
						throw new EOFException("The server closed the connection during the TLS handshake");
					}
					if (read == 0 && status == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
						return false;
					}
				}
				case NEED_TASK -> {
					for (Runnable task; (task = this.engine.getDelegatedTask()) != null;) {
						task.run();
					}
				}
				default -> {
					return true;
				}
			}
		}
	}

	@Override
	public int read(ByteBuffer dst) throws IOException {
		int start = dst.position();
		drainInto(dst);
		int read = readRecords();
		while (dst.hasRemaining()) {
			SSLEngineResult result = unwrap();
			drainInto(dst);
			if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
				throw new EOFException("The server closed the TLS session during the run");
			}
			if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
				break;
			}
		}
		int got = dst.position() - start;
		return (got == 0 && read < 0) ? -1 : got;
	}

	@Override
	public int write(ByteBuffer src) throws IOException {
		int start = src.position();
		while (src.hasRemaining() && flush()) {
			wrap(src);
		}
		flush();
		return src.position() - start;
	}

	@Override
	public boolean hasPendingOutput() {
		return this.netOut.hasRemaining();
	}

	/** Reads what the socket has into {@link #netIn}; returns the bytes read, -1 at the end of stream. */
	private int readRecords() throws IOException {
		return this.netIn.hasRemaining() ? this.channel.read(this.netIn) : 0;
	}

	/** Decrypts one record of {@link #netIn} into {@link #plainIn}. */
	private SSLEngineResult unwrap() throws IOException {
		this.netIn.flip();
		this.plainIn.compact();
		try {
			return this.engine.unwrap(this.netIn, this.plainIn);
		}
		finally {
			this.plainIn.flip();
			this.netIn.compact();
		}
	}

	/** Encrypts records from {@code src} into {@link #netOut} while it has room for one more. */
	private void wrap(ByteBuffer src) throws IOException {
		this.netOut.compact();
		try {
			do {
				SSLEngineResult result = this.engine.wrap(src, this.netOut);
				if (result.getStatus() != SSLEngineResult.Status.OK) {
					throw new IOException("TLS wrap failed: " + result);
				}
			}
			while (src.hasRemaining() && this.netOut.remaining() >= this.packetSize);
		}
		finally {
			this.netOut.flip();
		}
	}

	/** Writes what waits in {@link #netOut}; returns whether all of it went. */
	private boolean flush() throws IOException {
		if (this.netOut.hasRemaining()) {
			this.channel.write(this.netOut);
		}
		return !this.netOut.hasRemaining();
	}

	private void drainInto(ByteBuffer dst) {
		int n = Math.min(dst.remaining(), this.plainIn.remaining());
		if (n > 0) {
			dst.put(dst.position(), this.plainIn, this.plainIn.position(), n);
			dst.position(dst.position() + n);
			this.plainIn.position(this.plainIn.position() + n);
		}
	}

}
