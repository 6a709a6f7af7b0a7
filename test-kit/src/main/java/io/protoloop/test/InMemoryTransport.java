package io.protoloop.test;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.spi.ConnectionTracker;

/**
 * A stream transport with no socket, for unit-testing a {@link Protocol} or {@link BufferedProtocol}: the test
 * plays the peer, synchronously on its own thread. It follows the lifecycle every transport shares (core's
 * {@code AbstractTransport}) and passes the stream transport contract the socket transports pass.
 *
 * <p>The test sends with {@link #receive(String)} and friends, {@link #receiveEof()} and {@link #peerReset}.
 * What the protocol writes stays in the write buffer until the test takes it with {@link #peerReads(int)} or
 * {@link #peerReadsAll()}, so a test decides how slow the peer is, and {@code pauseWriting()} and
 * {@code resumeWriting()} follow the watermarks as over a socket. Each {@code receive} is delivered by one read,
 * so the test decides how the bytes are split (a read delivers at most 64 KiB, as a socket transport's). Input
 * waits while reading is paused. {@link #written()} keeps everything ever written and {@link #events()} the
 * callbacks made, in order ({@code connectionMade}, {@code dataReceived}, {@code getBuffer},
 * {@code bufferUpdated}, {@code eofReceived}, {@code pauseWriting}, {@code resumeWriting},
 * {@code connectionLost}).
 *
 * <p>The transport has an event loop of its own ({@link #getLoop()}), which nothing runs but the test's calls:
 * each method a test calls (these and the {@code Transport} methods) runs as a loop callback, then the loop runs
 * on the test's thread until nothing is ready, so the method returns with its effects done, callbacks included.
 * As on any loop, {@code connectionLost} comes in a later callback, never in the middle of another. The loop's
 * clock is virtual: timers the protocol schedules run when the test moves time with {@link #advance(Duration)}.
 * An exception thrown by a protocol callback takes the path it takes on a socket (the loop's exception handler,
 * then the transport aborts with it), and the kit method that caused it rethrows it: unchecked exceptions as they
 * are, others wrapped in an {@link AssertionError}. Not thread safe: drive it from the test thread, and close
 * the loop ({@code getLoop().close()}) when done, which releases its selector.
 */
public final class InMemoryTransport extends InMemoryStream {

	private InMemoryTransport(TestDriver driver, StreamProtocol protocol, SocketAddress localAddress,
			SocketAddress peerAddress) {
		super(driver.loop(), protocol, new Pipe(false), new Pipe(true), driver.settings(), ConnectionTracker.NONE,
				localAddress, peerAddress, driver);
	}

	/**
	 * Attaches {@code protocol} to a new transport with no addresses and calls its {@code connectionMade}.
	 * @param protocol the protocol to attach
	 * @return the transport, its protocol connected
	 */
	public static InMemoryTransport connect(StreamProtocol protocol) {
		return connect(protocol, null, null);
	}

	/**
	 * Attaches {@code protocol} to a new transport and calls its {@code connectionMade}.
	 * @param localAddress what {@code getExtraInfo("sockname")} returns, or {@code null}
	 * @param peerAddress what {@code getExtraInfo("peername")} returns, or {@code null}
	 * @param protocol the protocol to attach
	 * @return the transport, its protocol connected
	 */
	public static InMemoryTransport connect(StreamProtocol protocol, SocketAddress localAddress,
			SocketAddress peerAddress) {
		Objects.requireNonNull(protocol, "protocol");
		TestDriver driver = new TestDriver("in-memory-transport");
		InMemoryTransport transport = new InMemoryTransport(driver, protocol, localAddress, peerAddress);
		driver.run(() -> transport.start(new CompletableFuture<>()));
		return transport;
	}

	// ---------------------------------------------------------------- the peer sends

	/**
	 * Sends {@code text} as UTF-8 bytes; see {@link #receive(ByteBuffer)}.
	 * @param text the text the peer sends
	 */
	public void receive(String text) {
		receive(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends {@code data}; see {@link #receive(ByteBuffer)}.
	 * @param data the bytes the peer sends
	 */
	public void receive(byte[] data) {
		receive(ByteBuffer.wrap(data));
	}

	/**
	 * Sends a copy of the remaining bytes of {@code data} (its position is left alone). A {@link Protocol} gets
	 * them in one {@code dataReceived} (per 64 KiB); a {@link BufferedProtocol} through as many
	 * {@code getBuffer(-1)} and {@code bufferUpdated} pairs as its buffers need. While reading is paused the bytes
	 * wait, in order; once the transport is closing they are never read. Nothing is sent when {@code data} is
	 * empty, as a socket never reads zero bytes.
	 * @throws IllegalStateException if the peer already sent EOF
	 * @param data the bytes the peer sends, from its position to its limit
	 */
	public void receive(ByteBuffer data) {
		checkNoEofYet();
		if (data.hasRemaining()) {
			run(() -> this.in.write(data.duplicate()));
		}
	}

	/**
	 * Sends EOF: {@code eofReceived()} is called after the data sent before, and the transport closes itself if
	 * it returns {@code false}.
	 * @throws IllegalStateException if the peer already sent EOF
	 */
	public void receiveEof() {
		checkNoEofYet();
		run(this.in::writeEof);
	}

	/**
	 * Resets the connection from the peer's side: pending and unread data are dropped and the protocol sees
	 * {@code connectionLost(exc)}, whether or not reading is paused. Ignored once the connection is lost.
	 * @param exc the error the protocol sees in {@code connectionLost}
	 */
	public void peerReset(IOException exc) {
		Objects.requireNonNull(exc, "exc");
		run(() -> this.in.reset(exc));
	}

	private void checkNoEofYet() {
		if (this.in.isEofWritten()) {
			throw new IllegalStateException("The peer already sent EOF: it cannot send more");
		}
	}

	// ---------------------------------------------------------------- the peer reads

	/**
	 * Takes up to {@code n} of the bytes the peer has not read yet, oldest first. This drains the write buffer:
	 * {@code resumeWriting()} follows by the watermark rules, and a closing transport calls
	 * {@code connectionLost(null)} once nothing is left.
	 * @return the bytes taken, possibly fewer than {@code n}
	 * @param n how many bytes to take at most
	 */
	public byte[] peerReads(int n) {
		if (n < 0) {
			throw new IllegalArgumentException("n must not be negative: " + n);
		}
		return call(() -> this.out.take(n));
	}

	/**
	 * Takes every byte the peer has not read yet; see {@link #peerReads(int)}.
	 * @return the bytes taken, oldest first
	 */
	public byte[] peerReadsAll() {
		return peerReads(Integer.MAX_VALUE);
	}

	/**
	 * {@return every byte the protocol ever wrote, read by the peer or not (also those {@code abort()} dropped)}
	 */
	public byte[] written() {
		return this.out.history();
	}

	/**
	 * {@return {@link #written()} decoded as UTF-8, for assertions on text protocols}
	 */
	public String writtenString() {
		return new String(written(), StandardCharsets.UTF_8);
	}

}
