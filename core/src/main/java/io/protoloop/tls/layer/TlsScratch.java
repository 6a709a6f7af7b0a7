package io.protoloop.tls.layer;

import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;

/**
 * Where TLS records are encrypted and decrypted: per-thread heap buffers (a loop is one thread, so its
 * connections share them) for the records received, copied out of the socket's direct read buffer, the plaintext
 * of one record, and the records of one burst of wraps, grown to what the session asks for. Heap, because the
 * JDK's AES-GCM copies direct buffers into new arrays on every record. A connection uses them only within one
 * call from its transport, never across calls.
 */
final class TlsScratch {

	private static final ThreadLocal<TlsScratch> PER_THREAD = ThreadLocal.withInitial(TlsScratch::new);

	/** Room for four full records: what one burst of wraps may send in one write. */
	private static final int RECORDS = 4 * 16709;

	private ByteBuffer received = ByteBuffer.allocate(17 * 1024);

	private ByteBuffer plain = ByteBuffer.allocate(17 * 1024);

	private ByteBuffer records = ByteBuffer.allocate(RECORDS);

	private TlsScratch() {
	}

	/** Returns the calling thread's buffers. */
	static TlsScratch get() {
		return PER_THREAD.get();
	}

	/** Returns a copy of {@code data}'s remaining bytes, ready to read; {@code data} is consumed. */
	ByteBuffer received(ByteBuffer data) {
		if (this.received.capacity() < data.remaining()) {
			this.received = ByteBuffer.allocate(data.remaining());
		}
		return this.received.clear().put(data).flip();
	}

	/** Returns the buffer one record's plaintext is decrypted into, cleared. */
	ByteBuffer plain() {
		return this.plain.clear();
	}

	/** Replaces the plaintext buffer with a larger one, for {@code engine}'s session, and returns it cleared. */
	ByteBuffer growPlain(SSLEngine engine) {
		this.plain = ByteBuffer.allocate(Math.max(this.plain.capacity() * 2,
				engine.getSession().getApplicationBufferSize()));
		return this.plain;
	}

	/** Returns the buffer one burst of wraps encrypts into, cleared. */
	ByteBuffer records() {
		return this.records.clear();
	}

	/** Replaces the records buffer with a larger one, for {@code engine}'s session, and returns it cleared. */
	ByteBuffer growRecords(SSLEngine engine) {
		this.records = ByteBuffer.allocate(Math.max(this.records.capacity() * 2,
				engine.getSession().getPacketBufferSize()));
		return this.records;
	}

}
