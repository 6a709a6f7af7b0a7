package io.protoloop.test;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.support.PendingWrites;

/**
 * A stream transport with no socket, for unit-testing a {@link Protocol} or {@link BufferedProtocol}: the test
 * plays the peer, synchronously on its own thread.
 *
 * <p>The test sends with {@link #receive(String)} and friends, {@link #receiveEof()} and {@link #peerReset}.
 * What the protocol writes stays in the write buffer until the test takes it with {@link #peerReads(int)} or
 * {@link #peerReadsAll()}, so a test decides how slow the peer is; {@code pauseWriting()} and
 * {@code resumeWriting()} follow the same watermark rules as the socket transports. {@link #written()} keeps
 * everything ever written and {@link #events()} the callbacks made, in order ({@code connectionMade},
 * {@code dataReceived}, {@code getBuffer}, {@code bufferUpdated}, {@code eofReceived}, {@code pauseWriting},
 * {@code resumeWriting}, {@code connectionLost}).
 *
 * <p>Every callback runs on the test's thread, inside the kit method that caused it. As on a loop,
 * {@code connectionLost} never runs in the middle of another callback: when protocol code closes or aborts the
 * transport, it follows once that callback returns. Unlike a socket transport, which reports an exception
 * thrown by a protocol callback to the loop's handler and aborts, this one lets it propagate to the test method
 * that caused the callback, where it fails the test. Not thread safe: drive it from the test thread.
 */
public final class InMemoryTransport extends InMemoryEndpoint<StreamProtocol> implements Transport {

	private final Outgoing outgoing;

	private boolean peerEof;

	private boolean eofWritten;

	private InMemoryTransport(StreamProtocol protocol, SocketAddress localAddress, SocketAddress peerAddress,
			Outgoing outgoing) {
		super(protocol, outgoing, localAddress, peerAddress);
		this.outgoing = outgoing;
	}

	/** Attaches {@code protocol} to a new transport with no addresses and calls its {@code connectionMade}. */
	public static InMemoryTransport connect(StreamProtocol protocol) {
		return connect(protocol, null, null);
	}

	/**
	 * Attaches {@code protocol} to a new transport and calls its {@code connectionMade}.
	 * @param localAddress what {@code getExtraInfo("sockname")} returns, or {@code null}
	 * @param peerAddress what {@code getExtraInfo("peername")} returns, or {@code null}
	 */
	public static InMemoryTransport connect(StreamProtocol protocol, SocketAddress localAddress,
			SocketAddress peerAddress) {
		InMemoryTransport transport = new InMemoryTransport(Objects.requireNonNull(protocol, "protocol"),
				localAddress, peerAddress, new Outgoing());
		transport.callback("connectionMade", () -> protocol.connectionMade(transport));
		return transport;
	}

	// ---------------------------------------------------------------- the peer sends

	/** Sends {@code text} as UTF-8 bytes; see {@link #receive(ByteBuffer)}. */
	public void receive(String text) {
		receive(text.getBytes(StandardCharsets.UTF_8));
	}

	/** Sends {@code data}; see {@link #receive(ByteBuffer)}. */
	public void receive(byte[] data) {
		receive(ByteBuffer.wrap(data));
	}

	/**
	 * Sends a copy of the remaining bytes of {@code data} (its position is left alone). A {@link Protocol} gets
	 * them in one {@code dataReceived}; a {@link BufferedProtocol} through as many {@code getBuffer(-1)} and
	 * {@code bufferUpdated} pairs as its buffers need. While reading is paused the bytes are held and delivered,
	 * in order, on {@code resumeReading()}; once the transport is closing they are dropped. Nothing is sent when
	 * {@code data} is empty, as a socket never reads zero bytes.
	 * @throws IllegalStateException if the peer already sent EOF
	 */
	public void receive(ByteBuffer data) {
		checkNoEofYet();
		if (data.hasRemaining()) {
			ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
			arrive(() -> deliver(copy));
		}
	}

	/**
	 * Sends EOF: {@code eofReceived()} is called after any held data, and the transport closes itself if it
	 * returns {@code false}.
	 * @throws IllegalStateException if the peer already sent EOF
	 */
	public void receiveEof() {
		checkNoEofYet();
		this.peerEof = true;
		arrive(() -> {
			if (!query("eofReceived", getProtocol()::eofReceived)) {
				close();
			}
		});
	}

	/**
	 * Resets the connection from the peer's side: pending and held data are dropped and the protocol sees
	 * {@code connectionLost(exc)} at once, whether or not reading is paused. Ignored once the connection is lost.
	 */
	public void peerReset(IOException exc) {
		forceClose(Objects.requireNonNull(exc, "exc"));
	}

	private void checkNoEofYet() {
		if (this.peerEof) {
			throw new IllegalStateException("The peer already sent EOF: it cannot send more");
		}
	}

	private void deliver(ByteBuffer data) {
		if (getProtocol() instanceof BufferedProtocol buffered) {
			deliverChunk(buffered, data);
		}
		else {
			callback("dataReceived", () -> ((Protocol) getProtocol()).dataReceived(data));
		}
	}

	/** Fills one buffer of the protocol's, and holds the rest in front of the queue for the next delivery. */
	private void deliverChunk(BufferedProtocol protocol, ByteBuffer data) {
		ByteBuffer target = query("getBuffer", () -> protocol.getBuffer(-1));
		if (target == null || !target.hasRemaining()) {
			throw new IllegalStateException("getBuffer() returned an empty buffer");
		}
		int n = Math.min(data.remaining(), target.remaining());
		ByteBuffer chunk = data.duplicate().limit(data.position() + n);
		target.put(chunk);
		data.position(chunk.position());
		callback("bufferUpdated", () -> protocol.bufferUpdated(n));
		if (data.hasRemaining()) {
			holdFirst(() -> deliver(data));
		}
	}

	// ---------------------------------------------------------------- the peer reads

	/**
	 * Takes up to {@code n} of the bytes the peer has not read yet, oldest first. This drains the write buffer:
	 * {@code resumeWriting()} follows by the watermark rules, and a closing transport calls
	 * {@code connectionLost(null)} once nothing is left.
	 * @return the bytes taken, possibly fewer than {@code n}
	 */
	public byte[] peerReads(int n) {
		if (n < 0) {
			throw new IllegalArgumentException("n must not be negative: " + n);
		}
		byte[] taken = this.outgoing.take((int) Math.min(n, this.outgoing.size()));
		peerTook();
		return taken;
	}

	/** Takes every byte the peer has not read yet; see {@link #peerReads(int)}. */
	public byte[] peerReadsAll() {
		return peerReads(Integer.MAX_VALUE);
	}

	/** Returns every byte the protocol ever wrote, read by the peer or not (also those {@code abort()} dropped). */
	public byte[] written() {
		return this.outgoing.all();
	}

	/** Returns {@link #written()} decoded as UTF-8, for assertions on text protocols. */
	public String writtenString() {
		return new String(written(), StandardCharsets.UTF_8);
	}

	/** Returns {@code true} once the protocol called {@link #writeEof()}. */
	public boolean isEofWritten() {
		return this.eofWritten;
	}

	// ---------------------------------------------------------------- Transport

	/**
	 * Appends the remaining bytes of {@code data} to the write buffer (consuming them) and pauses the protocol if
	 * the buffer goes strictly over the high watermark. Ignored once closing.
	 * @throws IllegalStateException if {@link #writeEof()} was called
	 */
	@Override
	public void write(ByteBuffer data) {
		if (acceptsWrite(data.remaining())) {
			this.outgoing.add(data);
			maybePauseWriting();
		}
	}

	/** Writes {@code length} bytes of {@code data} from {@code offset}; see {@link #write(ByteBuffer)}. */
	@Override
	public void write(byte[] data, int offset, int length) {
		write(ByteBuffer.wrap(data, offset, length));
	}

	/** Writes the buffers in order, checking the high watermark once at the end, as a gathering write does. */
	@Override
	public void writelines(ByteBuffer... data) {
		long total = 0;
		for (ByteBuffer each : data) {
			total += each.remaining();
		}
		if (acceptsWrite(total)) {
			for (ByteBuffer each : data) {
				this.outgoing.add(each);
			}
			maybePauseWriting();
		}
	}

	/** Applies the socket transport's rules: nothing after writeEof(), nothing empty, nothing once closing. */
	private boolean acceptsWrite(long length) {
		if (this.eofWritten) {
			throw new IllegalStateException("Cannot call write() after writeEof()");
		}
		return length > 0 && !isClosing();
	}

	/** Returns {@code true}: the in-memory transport can half-close. */
	@Override
	public boolean canWriteEof() {
		return true;
	}

	/** Marks the write end closed (see {@link #isEofWritten()}); later writes throw. Ignored once closing. */
	@Override
	public void writeEof() {
		if (!isClosing()) {
			this.eofWritten = true;
		}
	}

	/** Every byte written, with how far the peer has read: the bytes in between are pending. */
	private static final class Outgoing implements PendingWrites {

		private byte[] bytes = new byte[256];

		private int length;

		private int read;

		@Override
		public long size() {
			return this.length - this.read;
		}

		/** Drops the pending bytes: the peer never reads them, but they stay in {@link #all()}. */
		@Override
		public void clear() {
			this.read = this.length;
		}

		void add(ByteBuffer data) {
			int n = data.remaining();
			int needed = Math.addExact(this.length, n);
			if (needed > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(needed, this.bytes.length * 2));
			}
			data.get(this.bytes, this.length, n);
			this.length = needed;
		}

		byte[] take(int n) {
			this.read += n;
			return Arrays.copyOfRange(this.bytes, this.read - n, this.read);
		}

		byte[] all() {
			return Arrays.copyOf(this.bytes, this.length);
		}

	}

}
