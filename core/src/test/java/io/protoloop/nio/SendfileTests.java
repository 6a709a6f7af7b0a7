package io.protoloop.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.protocol.Protocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.testing.TestCertificates;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code sendfile} over real sockets: zero-copy on plain TCP and Unix sockets (a 100 MiB file arrives with its
 * checksum; a reader that stops holds the transfer back without buffering; writes are refused meanwhile and
 * {@code close()} waits for the file), and the chunked fallback over TLS, which honours the transport's flow
 * control.
 */
@Timeout(120)
class SendfileTests {

	private static final int MIB = 1024 * 1024;

	@TempDir
	Path directory;

	private RunningLoop running;

	private SelectorEventLoop loop;

	@BeforeEach
	void startLoop() {
		this.running = new RunningLoop("sendfile");
		this.loop = this.running.loop();
	}

	@AfterEach
	void stopLoop() {
		this.running.close();
		assertThat(this.running.errors()).as("unexpected exception-handler calls").isEmpty();
	}

	/** Receives a file: counts and checksums it as it arrives, and may start paused. */
	static final class Receiver implements Protocol {

		final CompletableFuture<Long> received;

		final CompletableFuture<Throwable> lost = new CompletableFuture<>();

		private final long expected;

		private final boolean startPaused;

		private final CRC32 crc = new CRC32();

		private long count;

		Transport transport;

		Receiver(long expected, boolean startPaused) {
			this.expected = expected;
			this.startPaused = startPaused;
			this.received = new CompletableFuture<>();
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
			if (this.startPaused) {
				transport.pauseReading();
			}
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			this.count += data.remaining();
			this.crc.update(data);
			if (this.count >= this.expected) {
				this.received.complete(this.crc.getValue());
			}
		}

		@Override
		public void connectionLost(Throwable exc) {
			this.lost.complete(exc);
			this.received.complete(this.crc.getValue());
		}

		synchronized long count() {
			return this.count;
		}

	}

	/** A sender and a receiver connected over loopback TCP (or TLS when {@code tls} is given). */
	private record Connection(RecordingProtocol sender, Receiver receiver) {
	}

	private Connection connect(Receiver receiver, TlsOptions serverTls, TlsOptions clientTls) throws Exception {
		CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
		ServerOptions.Builder options = ServerOptions.builder().hosts("127.0.0.1");
		if (serverTls != null) {
			options.tls(serverTls);
		}
		// Half-open on EOF: a receiver that closes must not close the sender before the test looks at it.
		Server server = await(this.loop.createServer(() -> {
			RecordingProtocol protocol = new RecordingProtocol().keepOpenOnEof();
			accepted.complete(protocol);
			return protocol;
		}, options.build()));
		int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
		ConnectionOptions connection = (clientTls != null) ? ConnectionOptions.DEFAULT.withTls(clientTls)
				: ConnectionOptions.DEFAULT;
		await(this.loop.createConnection(() -> receiver, (clientTls != null) ? "localhost" : "127.0.0.1", port,
				connection));
		RecordingProtocol sender = await(accepted);
		await(sender.made);
		this.running.run(server::close);
		return new Connection(sender, receiver);
	}

	/** Writes {@code size} seeded random bytes to a new file and returns their CRC-32. */
	private long file(Path path, long size) throws IOException {
		CRC32 crc = new CRC32();
		Random random = new Random(size);
		byte[] block = new byte[MIB];
		try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			for (long left = size; left > 0; left -= block.length) {
				random.nextBytes(block);
				ByteBuffer part = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, left));
				crc.update(part.duplicate());
				while (part.hasRemaining()) {
					out.write(part);
				}
			}
		}
		return crc.getValue();
	}

	@Test
	void aHundredMebibyteFileGoesZeroCopyOverTcpAndArrivesWithItsChecksum() throws Exception {
		long size = 100L * MIB;
		Path path = this.directory.resolve("big");
		long crc = file(path, size);
		Connection connection = connect(new Receiver(size, false), null, null);

		try (FileChannel file = FileChannel.open(path)) {
			long sent = await(this.loop.sendfile(connection.sender().transport(), file));

			assertThat(sent).isEqualTo(size);
			assertThat(await(connection.receiver().received)).isEqualTo(crc);
			assertThat(file.position()).isEqualTo(size);
		}
		this.running.run(() -> {
			Transport transport = connection.sender().transport();
			assertThat(transport.view().snapshot().bytesSent()).isEqualTo(size);
			assertThat(transport.isReading()).isTrue();
			transport.write(new byte[] { 1 });
			transport.close();
		});
		assertThat(await(connection.receiver().lost)).isNull();
		assertThat(connection.receiver().count()).isEqualTo(size + 1);
	}

	@Test
	void anOffsetAndACountSendAPartAndLeaveTheFilePositionAfterIt() throws Exception {
		Path path = this.directory.resolve("part");
		file(path, MIB);
		byte[] content = Files.readAllBytes(path);
		CRC32 part = new CRC32();
		part.update(content, 1000, 5000);
		part.update(content, content.length - 10, 10);
		Connection connection = connect(new Receiver(5010, false), null, null);

		try (FileChannel file = FileChannel.open(path)) {
			assertThat(await(this.loop.sendfile(connection.sender().transport(), file, 1000, 5000))).isEqualTo(5000);
			assertThat(file.position()).isEqualTo(6000);
			// A count past the end sends what there is.
			assertThat(await(this.loop.sendfile(connection.sender().transport(), file, MIB - 10, 100))).isEqualTo(10);
			assertThat(file.position()).isEqualTo(MIB);
		}
		assertThat(await(connection.receiver().received)).isEqualTo(part.getValue());
	}

	@Test
	void aReaderThatStopsHoldsTheTransferBackWithoutBufferingAndTheLoopServesOthersMeanwhile() throws Exception {
		long size = 64L * MIB;
		Path path = this.directory.resolve("held");
		long crc = file(path, size);
		Connection connection = connect(new Receiver(size, true), null, null);

		try (FileChannel file = FileChannel.open(path)) {
			CompletableFuture<Long> sent = this.loop.sendfile(connection.sender().transport(), file);
			// More than the kernel buffers hold, with nobody reading: the transfer waits for OP_WRITE, the
			// transport buffers nothing, and the loop goes on serving other callbacks.
			for (int i = 0; i < 10; i++) {
				assertThat(this.running.call(() -> connection.sender().transport().getWriteBufferSize())).isZero();
			}
			assertThat(sent).isNotDone();

			this.running.run(() -> connection.receiver().transport.resumeReading());
			assertThat(await(sent)).isEqualTo(size);
		}
		assertThat(await(connection.receiver().received)).isEqualTo(crc);
	}

	@Test
	void writesAreRefusedDuringAZeroCopyTransferAndCloseWaitsForTheFile() throws Exception {
		long size = 32L * MIB;
		Path path = this.directory.resolve("closing");
		long crc = file(path, size);
		Connection connection = connect(new Receiver(size, true), null, null);

		try (FileChannel file = FileChannel.open(path)) {
			CompletableFuture<Long> sent = this.loop.sendfile(connection.sender().transport(), file);
			this.running.run(() -> {
				Transport transport = connection.sender().transport();
				assertThatIllegalStateException().isThrownBy(() -> transport.write(new byte[] { 1 }))
					.withMessageContaining("sendfile is in progress");
				assertThatIllegalStateException().isThrownBy(transport::writeEof);
				transport.close();
				assertThat(transport.isClosing()).isTrue();
			});
			assertThat(connection.sender().lost).isNotDone();
			this.running.run(() -> connection.receiver().transport.resumeReading());

			assertThat(await(sent)).isEqualTo(size);
			assertThat(await(connection.sender().lost)).isNull();
			assertThat(await(connection.receiver().lost)).isNull();
		}
		assertThat(await(connection.receiver().received)).isEqualTo(crc);
		assertThat(connection.receiver().count()).isEqualTo(size);
	}

	@Test
	void aTransportThatSentItsEofOrIsAlreadySendingRefusesASendfile() throws Exception {
		Path path = this.directory.resolve("refused");
		file(path, 32L * MIB);
		Connection connection = connect(new Receiver(Long.MAX_VALUE, true), null, null);
		Transport transport = connection.sender().transport();

		try (FileChannel file = FileChannel.open(path)) {
			CompletableFuture<Long> first = this.loop.sendfile(transport, file);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> await(this.loop.sendfile(transport, file)))
				.withCauseInstanceOf(IllegalStateException.class);
			this.running.run(() -> connection.receiver().transport.resumeReading());
			await(first);
			this.running.run(transport::writeEof);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> await(this.loop.sendfile(transport, file)))
				.withCauseInstanceOf(IllegalStateException.class)
				.withMessageContaining("writeEof()");
		}
		this.running.run(transport::close);
		await(connection.sender().lost);
	}

	@Test
	void abortDuringATransferFailsItAndAClosingTransportRefusesOne() throws Exception {
		Path path = this.directory.resolve("aborted");
		file(path, 32L * MIB);
		Connection connection = connect(new Receiver(Long.MAX_VALUE, true), null, null);

		try (FileChannel file = FileChannel.open(path)) {
			Transport transport = connection.sender().transport();
			CompletableFuture<Long> sent = this.loop.sendfile(transport, file);
			this.running.run(transport::abort);

			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> await(sent))
				.withCauseInstanceOf(IOException.class);
			assertThat(await(connection.sender().lost)).isNull();
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> await(this.loop.sendfile(transport, file)))
				.withCauseInstanceOf(IllegalStateException.class);
			assertThatIllegalArgumentException().isThrownBy(() -> this.loop.sendfile(transport, file, -1, 10));
			assertThatIllegalArgumentException().isThrownBy(() -> this.loop.sendfile(transport, file, 0, 0));
		}
	}

	@Test
	void overUnixSocketsTheFileGoesZeroCopyToo(@TempDir Path sockets) throws Exception {
		Path path = this.directory.resolve("unix");
		long crc = file(path, 8L * MIB);
		CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
		Server server = await(this.loop.createUnixServer(() -> {
			RecordingProtocol protocol = new RecordingProtocol();
			accepted.complete(protocol);
			return protocol;
		}, sockets.resolve("s.sock"), ServerOptions.DEFAULT));
		Receiver receiver = new Receiver(8L * MIB, false);
		await(this.loop.createUnixConnection(() -> receiver, sockets.resolve("s.sock"), ConnectionOptions.DEFAULT));
		RecordingProtocol sender = await(accepted);
		await(sender.made);

		try (FileChannel file = FileChannel.open(path)) {
			assertThat(await(this.loop.sendfile(sender.transport(), file))).isEqualTo(8L * MIB);
		}
		assertThat(await(receiver.received)).isEqualTo(crc);
		this.running.run(server::close);
	}

	@Test
	void overTlsTheFallbackSendsChunksAsFastAsFlowControlLetsItAndGivesTheProtocolBack() throws Exception {
		long size = 8L * MIB;
		Path path = this.directory.resolve("tls");
		long crc = file(path, size);
		TestCertificates certificates = TestCertificates.get();
		Connection connection = connect(new Receiver(size, true), TlsOptions.builder(certificates.server()).build(),
				TlsOptions.of(certificates.trustOnly()));
		Transport transport = connection.sender().transport();

		try (FileChannel file = FileChannel.open(path)) {
			CompletableFuture<Long> sent = this.loop.sendfile(transport, file);
			// Nobody reads: once the socket is full the TLS transport buffers, never much more than a chunk past
			// its high watermark, because the fallback waits for resumeWriting.
			long limit = transport.getWriteBufferLimits().high() + 64 * 1024;
			RunningLoop.awaitCondition(() -> bufferSize(transport) > 0, () -> "the TLS transport never buffered");
			for (int i = 0; i < 10; i++) {
				assertThat(bufferSize(transport)).isLessThanOrEqualTo(limit);
			}
			assertThat(sent).isNotDone();

			this.running.run(() -> connection.receiver().transport.resumeReading());
			assertThat(await(sent)).isEqualTo(size);
			assertThat(file.position()).isEqualTo(size);
		}
		assertThat(await(connection.receiver().received)).isEqualTo(crc);
		this.running.run(() -> {
			assertThat(transport.getProtocol()).isSameAs(connection.sender());
			assertThat(transport.isReading()).isTrue();
			transport.close();
		});
		assertThat(await(connection.sender().lost)).isNull();
		assertThat(connection.sender().violations()).isEmpty();
	}

	private long bufferSize(Transport transport) {
		try {
			return this.running.call(transport::getWriteBufferSize);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
