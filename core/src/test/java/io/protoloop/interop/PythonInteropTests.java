package io.protoloop.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interoperability with CPython's asyncio: a real {@code python3} peer, written with asyncio's low-level
 * {@code Protocol} API (the model Protoloop copies), talks to Protoloop over loopback TCP in both directions,
 * checking data integrity and half-close. The scripts live in {@code src/test/resources/python} (standard library
 * only, Python 3.7 or later); the tests are skipped when {@code python3} is not on the PATH.
 */
@Timeout(60)
class PythonInteropTests extends PythonInteropSupport {

	PythonInteropTests() {
		super("interop");
	}


	private static final String HOST = "127.0.0.1";

	/** About 1 MiB, deliberately not a multiple of any buffer size. */
	private static final int LARGE = 1024 * 1024 + 4321;

	private static final int SEED = 20240229;

	/**
	 * The send buffer of the Java sockets (the Python scripts shrink theirs too), so that a megabyte cannot
	 * vanish into the kernel: the write buffers, flow control and the flush before a half-close really work.
	 */
	private static final int SOCKET_BUFFER = 16 * 1024;

	@Test
	void pythonAsyncioClientGetsItsMegabyteEchoedByJavaServerWhichHalfClosesAfterThePythonEof() throws Exception {
		CompletableFuture<EchoProtocol> accepted = new CompletableFuture<>();
		Server server = await(this.running.loop().createServer(() -> {
			EchoProtocol protocol = new EchoProtocol();
			accepted.complete(protocol);
			return protocol;
		}, ServerOptions.builder().hosts(HOST).port(0).build()));
		int port = ((InetSocketAddress) server.addresses().get(0)).getPort();

		PythonPeer client = start("echo_client.py", HOST, port, LARGE, SEED);
		Map<String, String> result = client.result();

		assertThat(client.awaitExit()).as(client.describe()).isZero();
		assertThat(result).containsEntry("sent", String.valueOf(LARGE))
			.containsEntry("received", String.valueOf(LARGE))
			.containsEntry("eof_received", "true")
			.containsEntry("events", "made,write_eof,data,eof,lost")
			.containsEntry("lost_exc", "None");
		assertThat(result.get("received_sha256")).as("digest of the echo").isEqualTo(result.get("sent_sha256"));
		EchoProtocol echo = await(accepted);
		byte[] received = echo.received();
		assertThat(received).as("bytes the Java server received").hasSize(LARGE);
		assertThat(sha256(received)).isEqualTo(result.get("sent_sha256"));
		Transport transport = await(echo.made);
		assertThat(this.running.call(transport::isClosing)).as("half-open after eofReceived returned true").isFalse();
		this.running.run(transport::close);
		assertThat(await(echo.lost)).isNull();
		assertThat(callbacks(echo)).containsExactly("made", "data", "eof", "lost");
		assertThat(echo.violations()).isEmpty();
		server.close();
		await(server.waitClosed());
		assertThat(this.running.errors()).isEmpty();
	}

	@Test
	void javaClientGetsItsMegabyteEchoedByPythonAsyncioServerFollowedByTheTrailerAndEof() throws Exception {
		PythonPeer server = start("echo_server.py");
		int port = server.port();
		byte[] data = randomBytes(LARGE, SEED);
		byte[] trailer = ("END bytes=" + LARGE + " sha256=" + sha256(data) + "\n").getBytes(StandardCharsets.US_ASCII);

		TransportAndProtocol<Transport, RecordingProtocol> pair = await(
				this.running.loop().createConnection(RecordingProtocol::new, HOST, port));
		Transport transport = pair.transport();
		RecordingProtocol client = pair.protocol();
		long bufferedAtEof = this.running.call(() -> {
			shrinkSendBuffer(transport);
			writeInChunks(transport, data, new Random(SEED + 1));
			transport.writeEof();
			return transport.getWriteBufferSize();
		});
		assertThat(bufferedAtEof).as("bytes still buffered at writeEof(): the FIN must wait for them").isPositive();

		assertThat(await(client.lost)).isNull();
		byte[] received = client.received();
		assertThat(received).as("echo and trailer").hasSize(LARGE + trailer.length);
		assertThat(Arrays.mismatch(Arrays.copyOf(received, LARGE), data)).as("first index where the echo differs")
			.isEqualTo(-1);
		assertThat(new String(received, LARGE, trailer.length, StandardCharsets.US_ASCII))
			.isEqualTo(new String(trailer, StandardCharsets.US_ASCII));
		assertThat(callbacks(client)).containsExactly("made", "data", "eof", "lost");
		assertThat(client.violations()).isEmpty();
		assertThat(client.events()).as("flow control with a megabyte buffered").contains("pause", "resume");
		assertThat(client.events().stream().filter("pause"::equals).count()).as("pauseWriting/resumeWriting pairs")
			.isEqualTo(client.events().stream().filter("resume"::equals).count());
		Map<String, String> result = server.result();
		assertThat(server.awaitExit()).as(server.describe()).isZero();
		assertThat(result).containsEntry("received", String.valueOf(LARGE))
			.containsEntry("sha256", sha256(data))
			.containsEntry("events", "made,data,eof,write_eof,lost")
			.containsEntry("lost_exc", "None");
		assertThat(this.running.errors()).isEmpty();
	}

	@Test
	void javaClientStaysHalfOpenAfterPythonAsyncioServerEofAndStillSendsDataThePythonSideReceives() throws Exception {
		PythonPeer server = start("eof_first_server.py");
		int port = server.port();
		byte[] data = randomBytes(256 * 1024 + 17, SEED + 2);

		TransportAndProtocol<Transport, RecordingProtocol> pair = await(this.running.loop()
			.createConnection(() -> new RecordingProtocol().keepOpenOnEof(), HOST, port));
		Transport transport = pair.transport();
		RecordingProtocol client = pair.protocol();
		client.awaitEvent("eof");
		assertThat(new String(client.received(), StandardCharsets.US_ASCII)).isEqualTo("HELLO FROM ASYNCIO\n");
		assertThat(this.running.call(transport::isClosing)).as("closing after eofReceived returned true").isFalse();
		long bufferedAtEof = this.running.call(() -> {
			shrinkSendBuffer(transport);
			writeInChunks(transport, data, new Random(SEED + 3));
			transport.writeEof();
			return transport.getWriteBufferSize();
		});
		assertThat(bufferedAtEof).as("bytes still buffered at writeEof(): the FIN must wait for them").isPositive();

		Map<String, String> result = server.result();
		assertThat(result).as("what Python received after its own write_eof")
			.containsEntry("received", String.valueOf(data.length))
			.containsEntry("sha256", sha256(data))
			.containsEntry("events", "made,write_eof,data,eof");
		this.running.run(transport::close);
		assertThat(await(client.lost)).isNull();
		assertThat(server.awaitExit()).as(server.describe()).isZero();
		assertThat(callbacks(client)).containsExactly("made", "data", "eof", "lost");
		assertThat(client.violations()).isEmpty();
		assertThat(this.running.errors()).isEmpty();
	}

	@Test
	void javaClientClosingOnPythonAsyncioServerEofFirstFlushesWhatItHadWritten() throws Exception {
		PythonPeer server = start("eof_first_server.py");
		int port = server.port();
		byte[] data = randomBytes(256 * 1024 + 17, SEED + 4);

		// Writes before reading anything, so the Python EOF finds bytes in the write buffer or in the kernel;
		// eofReceived returns false: close(), which must flush them all before the FIN.
		TransportAndProtocol<Transport, RecordingProtocol> pair = await(
				this.running.loop().createConnection(() -> new RecordingProtocol() {

					@Override
					public void connectionMade(Transport transport) {
						super.connectionMade(transport);
						shrinkSendBuffer(transport);
						writeInChunks(transport, data, new Random(SEED + 5));
					}

				}, HOST, port));
		RecordingProtocol client = pair.protocol();

		assertThat(await(client.lost)).isNull();
		assertThat(new String(client.received(), StandardCharsets.US_ASCII)).isEqualTo("HELLO FROM ASYNCIO\n");
		assertThat(callbacks(client)).containsExactly("made", "data", "eof", "lost");
		assertThat(client.violations()).isEmpty();
		Map<String, String> result = server.result();
		assertThat(server.awaitExit()).as(server.describe()).isZero();
		assertThat(result).containsEntry("received", String.valueOf(data.length))
			.containsEntry("sha256", sha256(data))
			.containsEntry("events", "made,write_eof,data,eof");
		assertThat(this.running.errors()).isEmpty();
	}

	private PythonPeer start(String script, Object... args) throws Exception {
		PythonPeer peer = PythonPeer.start(PythonPeer.copyScript(script, this.scripts), args);
		this.peers.add(peer);
		return peer;
	}

	/**
	 * Writes {@code data} in chunks of random sizes, going through each way of writing in turn: a byte array
	 * (staged or wrapped), a heap buffer, a direct buffer and a gathering {@code writelines}. Run on the loop.
	 */
	private static void writeInChunks(Transport transport, byte[] data, Random sizes) {
		int offset = 0;
		for (int i = 0; offset < data.length; i++) {
			int size = Math.min(data.length - offset, 1 + sizes.nextInt(96 * 1024));
			switch (i % 4) {
				case 0 -> transport.write(data, offset, size);
				case 1 -> transport.write(ByteBuffer.wrap(data, offset, size));
				case 2 -> transport.write(ByteBuffer.allocateDirect(size).put(data, offset, size).flip());
				default -> {
					int half = size / 2;
					transport.writelines(ByteBuffer.wrap(data, offset, half),
							ByteBuffer.wrap(data, offset + half, size - half));
				}
			}
			offset += size;
		}
	}

	/** Shrinks the send buffer of the transport's socket to {@link #SOCKET_BUFFER}. Run on the loop. */
	private static void shrinkSendBuffer(Transport transport) {
		NetworkChannel socket = (NetworkChannel) transport.getExtraInfo(ExtraInfo.SOCKET);
		try {
			socket.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Returns the protocol's callbacks without the flow-control ones, consecutive data collapsed to one. */
	private static List<String> callbacks(RecordingProtocol protocol) {
		List<String> callbacks = new ArrayList<>();
		for (String event : protocol.events()) {
			boolean flow = event.equals("pause") || event.equals("resume");
			boolean repeated = event.equals("data") && !callbacks.isEmpty()
					&& callbacks.get(callbacks.size() - 1).equals("data");
			if (!flow && !repeated) {
				callbacks.add(event);
			}
		}
		return callbacks;
	}

	private static byte[] randomBytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] data) throws NoSuchAlgorithmException {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	/**
	 * The Java end of the Python client's echo: echoes every byte, stops reading while its writing is paused, and
	 * answers the peer's EOF with its own ({@code writeEof()}, effective once the echo is flushed), staying
	 * half-open ({@code eofReceived} returns true).
	 */
	static final class EchoProtocol extends RecordingProtocol {

		@Override
		public void connectionMade(Transport transport) {
			super.connectionMade(transport);
			shrinkSendBuffer(transport);
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			ByteBuffer echo = data.duplicate();
			super.dataReceived(data);
			transport().write(echo);
		}

		@Override
		public boolean eofReceived() {
			super.eofReceived();
			transport().writeEof();
			return true;
		}

		@Override
		public void pauseWriting() {
			super.pauseWriting();
			transport().pauseReading();
		}

		@Override
		public void resumeWriting() {
			super.resumeWriting();
			transport().resumeReading();
		}

	}

}
