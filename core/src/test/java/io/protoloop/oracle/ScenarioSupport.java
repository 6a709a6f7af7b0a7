package io.protoloop.oracle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

/** What the Java scenarios share, as the helpers at the top of {@code oracle/scenarios.py}. */
final class ScenarioSupport {

	private ScenarioSupport() {
	}

	/** A peer connected to the subject, and the subject's transport. */
	record Accepted(Peer peer, Transport tr) {
	}

	/** Connects a Peer to the subject: the subject's socket goes to connectAcceptedSocket with {@code protocol}. */
	static Accepted accept(EventLoop loop, Trace t, StreamProtocol protocol, boolean small) throws Exception {
		Peer peer = Peer.pair(small);
		TransportAndProtocol<Transport, StreamProtocol> pair = t.await(loop,
				loop.connectAcceptedSocket(() -> protocol, peer.subject(), ConnectionOptions.DEFAULT));
		return new Accepted(peer, pair.transport());
	}

	static Accepted accept(EventLoop loop, Trace t, StreamProtocol protocol) throws Exception {
		return accept(loop, t, protocol, false);
	}

	/** Writes FILLER bytes with a high mark that cannot be reached; returns what stayed in the buffer. */
	static long fill(Trace t, Transport tr) {
		tr.setWriteBufferLimits(1 << 30);
		tr.write(filler());
		long buffered = tr.getWriteBufferSize();
		t.add("filled", buffered > 0);
		return buffered;
	}

	static byte[] filler() {
		byte[] bytes = new byte[Peer.FILLER];
		Arrays.fill(bytes, (byte) 'f');
		return bytes;
	}

	static byte[] b(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static ByteBuffer buf(String text) {
		return ByteBuffer.wrap(b(text));
	}

	static String text(ByteBuffer data) {
		return StandardCharsets.US_ASCII.decode(data.duplicate()).toString();
	}

	/** The peer's answer in the write-eof scenarios: "got N" for the N bytes it read. */
	static void answerOnEof(Peer peer, byte[] data) {
		peer.send("got " + data.length);
	}

	/** Runs the loop for {@link Trace#SHORT}, as {@code asyncio.sleep(SHORT)}. */
	static void sleep(EventLoop loop, Trace t) throws Exception {
		CompletableFuture<Void> slept = new CompletableFuture<>();
		loop.callLater(Trace.SHORT, () -> slept.complete(null));
		t.await(loop, slept);
	}

	/**
	 * "exit N", or "signal N" for a child killed by signal N, as {@code exit_status} in the Python kit: Java
	 * reports that child's code as 128 + N, asyncio as -N. (The scenarios' children exit with codes below 128.)
	 */
	static String exitStatus(Integer returncode) {
		if (returncode == null) {
			return "running";
		}
		return (returncode > 128) ? "signal " + (returncode - 128) : "exit " + returncode;
	}

}
