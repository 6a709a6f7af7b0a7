package io.protoloop.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.WriteBufferLimits;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The behaviour every stream transport must show, run against each kind (TCP and Unix sockets, the test kit's
 * in-memory transports): callback order, half-close in both directions, close and abort, flow control with its
 * edge cases, callbacks that throw, and the buffered-protocol read path. Every test also fails on unexpected
 * exception-handler calls. The rules are stated for any transport: a kind with no kernel buffer (in memory)
 * buffers every write until the peer reads it; what only sockets show is tested with the socket kinds.
 */
@Timeout(60)
public abstract class StreamTransportContract {

	/** More than any socket buffer on loopback, so a peer that does not read makes the transport buffer. */
	public static final int LARGE = 16 * 1024 * 1024;

	protected RunningLoop running;

	protected EventLoop loop;

	private boolean errorsExpected;

	/** Starts a server for this transport kind whose connections get protocols from {@code factory}. */
	protected abstract Server startServer(Supplier<? extends StreamProtocol> factory) throws Exception;

	/** Connects to {@code server}. */
	protected abstract <P extends StreamProtocol> TransportAndProtocol<Transport, P> connect(Server server, Supplier<P> factory)
			throws Exception;

	@BeforeEach
	void startLoop() {
		this.running = new RunningLoop(getClass().getSimpleName());
		this.loop = this.running.loop();
	}

	@AfterEach
	void stopLoop() {
		this.running.close();
		if (!this.errorsExpected) {
			assertThat(this.running.errors()).as("unexpected exception-handler calls").isEmpty();
		}
	}

	/** A server whose connections record into protocols that the test can inspect. */
	protected final class Accepted {

		public final List<RecordingProtocol> protocols = new ArrayList<>();

		public final CompletableFuture<RecordingProtocol> first = new CompletableFuture<>();

		public final Server server;

		public Accepted(Supplier<RecordingProtocol> factory) throws Exception {
			this.server = startServer(() -> {
				RecordingProtocol protocol = factory.get();
				synchronized (this.protocols) {
					this.protocols.add(protocol);
				}
				this.first.complete(protocol);
				return protocol;
			});
		}

		public RecordingProtocol awaitFirst() throws Exception {
			RecordingProtocol protocol = await(this.first);
			await(protocol.made);
			return protocol;
		}

	}

	protected static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	// ---------------------------------------------------------------- callback order and half-close

	@Test
	void callbacksArriveInTheSpecOrderAndEofClosesByDefault() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		byte[] payload = randomBytes(100_000);

		this.running.run(() -> {
			// Room for the whole payload: flow control is not the point here, and a kind without kernel buffers
			// holds it all until the peer reads.
			client.transport().setWriteBufferLimits(payload.length);
			client.transport().write(payload);
			client.transport().writeEof();
		});
		RecordingProtocol server = accepted.awaitFirst();

		assertThat(await(server.lost)).isNull();
		assertThat(server.received()).isEqualTo(payload);
		assertThat(server.events()).containsExactly("made", "data", "eof", "lost");
		assertThat(server.violations()).isEmpty();
		// The server closed after its eofReceived returned false: the client sees EOF, then closes itself.
		assertThat(await(client.protocol().lost)).isNull();
		assertThat(client.protocol().events()).containsExactly("made", "eof", "lost");
	}

	@Test
	void eofReceivedReturningTrueKeepsTheConnectionHalfOpenForWriting() throws Exception {
		Accepted accepted = new Accepted(() -> new RecordingProtocol().keepOpenOnEof());
		var client = connect(accepted.server, () -> new RecordingProtocol().keepOpenOnEof());
		this.running.run(() -> client.transport().writeEof());
		RecordingProtocol server = accepted.awaitFirst();
		server.awaitEvent("eof");

		byte[] reply = randomBytes(300_000);
		this.running.run(() -> {
			assertThat(server.transport().isClosing()).isFalse();
			server.transport().write(reply);
			server.transport().close();
		});

		assertThat(client.protocol().awaitReceived(reply.length)).isEqualTo(reply);
		client.protocol().awaitEvent("eof");
		assertThat(await(server.lost)).isNull();
		this.running.run(() -> client.transport().close());
		assertThat(await(client.protocol().lost)).isNull();
		assertThat(client.protocol().events()).containsExactly("made", "data", "eof", "lost");
	}

	@Test
	void writeEofSendsEofAfterBufferedDataWhileDataStillArrives() throws Exception {
		Accepted accepted = new Accepted(() -> new RecordingProtocol().keepOpenOnEof());
		var client = connect(accepted.server, () -> new RecordingProtocol().keepOpenOnEof());
		RecordingProtocol server = accepted.awaitFirst();
		byte[] first = randomBytes(LARGE);

		// The client does not read, so most of the server's data waits in its buffer when writeEof() is called.
		this.running.run(() -> {
			client.transport().pauseReading();
			server.transport().write(first);
			server.transport().writeEof();
			assertThat(server.transport().getWriteBufferSize()).isPositive();
		});
		this.running.run(() -> client.transport().resumeReading());
		assertThat(client.protocol().awaitReceived(first.length)).isEqualTo(first);
		client.protocol().awaitEvent("eof");

		// The other direction still works after the server's half-close.
		byte[] second = randomBytes(50_000);
		this.running.run(() -> client.transport().write(second));
		assertThat(server.awaitReceived(second.length)).isEqualTo(second);
		this.running.run(() -> client.transport().close());
		server.awaitEvent("eof");
		this.running.run(() -> server.transport().close());
		assertThat(await(server.lost)).isNull();
		assertThat(server.events()).containsExactly("made", "pause", "resume", "data", "eof", "lost");
	}

	@Test
	void writeAfterWriteEofIsAnError() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);

		this.running.run(() -> {
			assertThat(client.transport().canWriteEof()).isTrue();
			client.transport().writeEof();
			client.transport().writeEof();
			assertThatIllegalStateException().isThrownBy(() -> client.transport().write(new byte[] { 1 }))
				.withMessageContaining("writeEof()");
		});
	}

	// ---------------------------------------------------------------- close and abort

	@Test
	void closeFlushesEveryBufferedByteBeforeConnectionLost() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();
		byte[] payload = randomBytes(LARGE);

		this.running.run(() -> {
			client.transport().pauseReading();
			server.transport().write(payload);
			server.transport().close();
			assertThat(server.transport().isClosing()).isTrue();
			assertThat(server.transport().getWriteBufferSize()).isPositive();
		});
		assertThat(server.lost).isNotDone();
		this.running.run(() -> client.transport().resumeReading());

		assertThat(client.protocol().awaitReceived(payload.length)).isEqualTo(payload);
		assertThat(await(server.lost)).isNull();
		assertThat(await(client.protocol().lost)).isNull();
		assertThat(server.violations()).isEmpty();
	}

	@Test
	void abortDropsBufferedDataAndSendsNothingAfterwards() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();
		byte[] payload = randomBytes(LARGE);

		long accepted_by_socket = this.running.call(() -> {
			client.transport().pauseReading();
			server.transport().write(payload);
			long buffered = server.transport().getWriteBufferSize();
			server.transport().abort();
			assertThat(server.transport().getWriteBufferSize()).isZero();
			assertThat(server.transport().isClosing()).isTrue();
			return payload.length - buffered;
		});
		assertThat(await(server.lost)).isNull();
		this.running.run(() -> client.transport().resumeReading());

		await(client.protocol().lost);
		// Only what the socket had taken before abort() can arrive; the buffered rest never does.
		assertThat(client.protocol().received().length).isLessThanOrEqualTo((int) accepted_by_socket)
			.isLessThan(payload.length);
	}

	@Test
	void writesAfterTheConnectionIsLostAreIgnoredWithoutErrors() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();

		this.running.run(() -> {
			server.transport().write(new byte[] { 1, 2, 3 });
			server.transport().close();
		});
		assertThat(await(server.lost)).isNull();
		this.running.run(() -> {
			for (int i = 0; i < 10; i++) {
				server.transport().write(new byte[] { 9 });
			}
			server.transport().close();
			server.transport().abort();
			assertThat(server.transport().getWriteBufferSize()).isZero();
		});

		await(client.protocol().lost);
		assertThat(client.protocol().received()).containsExactly(1, 2, 3);
		assertThat(server.events()).containsExactly("made", "lost");
	}

	@Test
	void writesAfterCloseWhileItStillFlushesAreSentToo() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();
		byte[] payload = randomBytes(LARGE);
		byte[] last = "and the last word".getBytes();

		this.running.run(() -> {
			client.transport().pauseReading();
			server.transport().write(payload);
			server.transport().close();
			assertThat(server.transport().getWriteBufferSize()).isPositive();
			server.transport().write(last);
		});
		this.running.run(() -> client.transport().resumeReading());

		byte[] expected = new byte[payload.length + last.length];
		System.arraycopy(payload, 0, expected, 0, payload.length);
		System.arraycopy(last, 0, expected, payload.length, last.length);
		assertThat(client.protocol().awaitReceived(expected.length)).isEqualTo(expected);
		assertThat(await(server.lost)).isNull();
	}

	@Test
	void peerResetMidWriteEndsTheConnectionWithTheError() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();

		this.running.run(() -> {
			client.transport().pauseReading();
			server.transport().write(randomBytes(LARGE));
			assertThat(server.transport().getWriteBufferSize()).isPositive();
		});
		resetByPeer(client.transport());

		Throwable cause = await(server.lost);
		assertThat(cause).isInstanceOf(IOException.class);
		assertThat(server.violations()).isEmpty();
		this.running.run(() -> assertThat(server.transport().getWriteBufferSize()).isZero());
	}

	/** Makes the peer's connection end abruptly (a reset where the transport kind has one). */
	protected abstract void resetByPeer(Transport peer) throws Exception;

	// ---------------------------------------------------------------- reading flow control

	@Test
	void pauseReadingStopsDataUntilResumeAndBothAreIdempotent() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();

		this.running.run(() -> {
			server.transport().pauseReading();
			server.transport().pauseReading();
			assertThat(server.transport().isReading()).isFalse();
			client.transport().write(new byte[] { 1, 2, 3 });
		});
		// A round trip in the other direction proves the loop ran I/O while the paused side got nothing.
		this.running.run(() -> server.transport().write(new byte[] { 7 }));
		client.protocol().awaitReceived(1);
		assertThat(server.received()).isEmpty();

		this.running.run(() -> {
			server.transport().resumeReading();
			server.transport().resumeReading();
			assertThat(server.transport().isReading()).isTrue();
		});
		assertThat(server.awaitReceived(3)).containsExactly(1, 2, 3);

		this.running.run(() -> {
			server.transport().close();
			server.transport().pauseReading();
			server.transport().resumeReading();
			assertThat(server.transport().isReading()).isFalse();
		});
	}

	// ---------------------------------------------------------------- write flow control

	@Test
	void writeBufferLimitsDefaultToSixtyFourAndSixteenKibAndAreValidated() throws Exception {
		var client = connect(new Accepted(RecordingProtocol::new).server, RecordingProtocol::new);

		this.running.run(() -> {
			Transport transport = client.transport();
			assertThat(transport.getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(65536, 16384));
			transport.setWriteBufferLimits(1000);
			assertThat(transport.getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(1000, 250));
			transport.setWriteBufferLimits(0);
			assertThat(transport.getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(0, 0));
			transport.setWriteBufferLimits(100, 100);
			assertThat(transport.getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(100, 100));
			assertThatIllegalArgumentException().isThrownBy(() -> transport.setWriteBufferLimits(100, 101));
			assertThatIllegalArgumentException().isThrownBy(() -> transport.setWriteBufferLimits(-1));
			assertThatIllegalArgumentException().isThrownBy(() -> transport.setWriteBufferLimits(10, -1));
			assertThat(transport.getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(100, 100));
			// asyncio's set_write_buffer_limits(low=n) and set_write_buffer_limits().
			transport.setWriteBufferLimits(WriteBufferLimits.ofLow(1000));
			assertThat(transport.getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(4000, 1000));
			transport.setWriteBufferLimits();
			assertThat(transport.getWriteBufferLimits()).isEqualTo(WriteBufferLimits.DEFAULT);
		});
	}

	@Test
	void aReaderThatNeverReadsPausesTheWriterOnceAndDrainingResumesItOnce() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();
		byte[] chunk = randomBytes(64 * 1024);
		int chunks = LARGE / chunk.length;

		this.running.run(() -> {
			client.transport().pauseReading();
			for (int i = 0; i < chunks; i++) {
				server.transport().write(chunk);
			}
			assertThat(server.transport().getWriteBufferSize()).isGreaterThan(65536);
		});
		assertThat(server.events()).containsExactly("made", "pause");

		this.running.run(() -> client.transport().resumeReading());
		client.protocol().awaitReceived(chunks * chunk.length);
		server.awaitEvent("resume");
		assertThat(server.events()).containsExactly("made", "pause", "resume");
		this.running.run(() -> assertThat(server.transport().getWriteBufferSize()).isZero());
		assertThat(server.violations()).isEmpty();
	}

	@Test
	void pauseIsDueOnlyStrictlyOverTheHighMarkAndResumeAtOrBelowTheLowMark() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();

		this.running.run(() -> {
			client.transport().pauseReading();
			server.transport().setWriteBufferLimits(Integer.MAX_VALUE);
			// Fill the socket until the transport buffers, then size the marks around the buffered amount.
			while (server.transport().getWriteBufferSize() == 0) {
				server.transport().write(randomBytes(256 * 1024));
			}
			long size = server.transport().getWriteBufferSize();
			server.transport().setWriteBufferLimits((int) size, 0);
			assertThat(server.events()).containsExactly("made");
			server.transport().setWriteBufferLimits((int) size - 1, 0);
			assertThat(server.events()).containsExactly("made", "pause");
			// More writes while paused do not pause again.
			server.transport().write(new byte[1000]);
			server.transport().setWriteBufferLimits(0);
		});
		this.running.run(() -> client.transport().resumeReading());
		server.awaitEvent("resume");
		assertThat(server.events()).containsExactly("made", "pause", "resume");
		this.running.run(() -> assertThat(server.transport().getWriteBufferSize()).isZero());
	}

	@Test
	void zeroHighWatermarkPausesWheneverAnythingIsBufferedAndResumesOnlyWhenEmpty() throws Exception {
		List<Long> sizesAtResume = new ArrayList<>();
		Accepted accepted = new Accepted(() -> new RecordingProtocol() {
			@Override
			public void resumeWriting() {
				sizesAtResume.add(transport().getWriteBufferSize());
				super.resumeWriting();
			}
		});
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();

		this.running.run(() -> {
			server.transport().setWriteBufferLimits(0);
			client.transport().pauseReading();
			while (server.transport().getWriteBufferSize() == 0) {
				server.transport().write(randomBytes(256 * 1024));
			}
			assertThat(server.events()).containsExactly("made", "pause");
		});
		this.running.run(() -> client.transport().resumeReading());
		server.awaitEvent("resume");
		this.running.run(() -> assertThat(sizesAtResume).containsExactly(0L));
	}

	@Test
	void aProtocolMayWriteFromResumeWriting() throws Exception {
		byte[] more = randomBytes(1000);
		Accepted accepted = new Accepted(() -> new RecordingProtocol() {
			@Override
			public void resumeWriting() {
				super.resumeWriting();
				transport().write(more);
				transport().close();
			}
		});
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();
		byte[] payload = randomBytes(LARGE);

		this.running.run(() -> {
			client.transport().pauseReading();
			server.transport().write(payload);
		});
		this.running.run(() -> client.transport().resumeReading());

		byte[] received = client.protocol().awaitReceived(payload.length + more.length);
		assertThat(received).startsWith(payload).endsWith(more).hasSize(payload.length + more.length);
		assertThat(await(server.lost)).isNull();
	}

	@Test
	void writelinesSendsEveryBufferInOrder() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();
		byte[] a = randomBytes(10);
		byte[] b = randomBytes(LARGE / 2);
		byte[] c = randomBytes(70_000);

		this.running.run(() -> {
			client.transport().writelines(ByteBuffer.wrap(a), ByteBuffer.wrap(b), ByteBuffer.allocate(0));
			client.transport().writelines(ByteBuffer.wrap(c));
		});

		byte[] received = server.awaitReceived(a.length + b.length + c.length);
		ByteBuffer expected = ByteBuffer.allocate(received.length).put(a).put(b).put(c);
		assertThat(received).isEqualTo(expected.array());
	}

	// ---------------------------------------------------------------- protocol errors

	@Test
	void anExceptionInDataReceivedAbortsOnlyThatConnection() throws Exception {
		RuntimeException failure = new IllegalStateException("bad frame");
		Accepted accepted = new Accepted(() -> new RecordingProtocol() {
			@Override
			public void dataReceived(ByteBuffer data) {
				super.dataReceived(data);
				if (data.limit() > 0 && received()[0] == 'X') {
					throw failure;
				}
				transport().write(data.flip());
			}
		});
		var bad = connect(accepted.server, RecordingProtocol::new);
		var good = connect(accepted.server, RecordingProtocol::new);
		this.errorsExpected = true;

		this.running.run(() -> bad.transport().write("X".getBytes()));
		await(bad.protocol().lost);
		this.running.run(() -> good.transport().write("hello".getBytes()));

		assertThat(good.protocol().awaitReceived(5)).isEqualTo("hello".getBytes());
		assertThat(this.running.awaitErrors(1)).singleElement().satisfies((error) -> {
			assertThat(error.message()).contains("dataReceived");
			assertThat(error.exception()).isSameAs(failure);
			assertThat(error.transport()).isNotNull();
		});
		RecordingProtocol failed = accepted.protocols.stream().filter((p) -> p.lost.isDone()).findFirst().get();
		assertThat(await(failed.lost)).isSameAs(failure);
		assertThat(failed.violations()).isEmpty();
	}

	@Test
	void anExceptionInConnectionMadeIsReportedAndTheConnectionGoesOn() throws Exception {
		RuntimeException failure = new IllegalStateException("made");
		this.errorsExpected = true;
		Accepted accepted = new Accepted(() -> new RecordingProtocol() {
			@Override
			public void connectionMade(Transport transport) {
				super.connectionMade(transport);
				throw failure;
			}

			@Override
			public void dataReceived(ByteBuffer data) {
				super.dataReceived(data);
				transport().write(data.flip());
			}
		});
		var client = connect(accepted.server, RecordingProtocol::new);
		this.running.run(() -> client.transport().write("still here".getBytes()));

		assertThat(client.protocol().awaitReceived(10)).isEqualTo("still here".getBytes());
		assertThat(this.running.awaitErrors(1)).singleElement().satisfies((error) -> {
			assertThat(error.message()).isEqualTo("protocol.connectionMade() failed");
			assertThat(error.exception()).isSameAs(failure);
		});
		assertThat(accepted.awaitFirst().lost).isNotDone();
	}

	@Test
	void anExceptionInEofReceivedAbortsTheConnection() throws Exception {
		this.errorsExpected = true;
		Accepted accepted = new Accepted(() -> new RecordingProtocol() {
			@Override
			public boolean eofReceived() {
				throw new IllegalStateException("eof");
			}
		});
		var client = connect(accepted.server, RecordingProtocol::new);
		this.running.run(() -> client.transport().writeEof());

		assertThat(await(accepted.awaitFirst().lost)).hasMessage("eof");
		assertThat(this.running.awaitErrors(1).get(0).message())
			.isEqualTo("Fatal error: protocol.eofReceived() call failed.");
	}

	@Test
	void anExceptionInPauseOrResumeWritingIsReportedAndTheBufferedDataStillArrives() throws Exception {
		this.errorsExpected = true;
		Accepted accepted = new Accepted(() -> new RecordingProtocol() {
			@Override
			public void pauseWriting() {
				super.pauseWriting();
				throw new IllegalStateException("pause");
			}

			@Override
			public void resumeWriting() {
				super.resumeWriting();
				throw new IllegalStateException("resume");
			}
		});
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();
		byte[] payload = randomBytes(LARGE);
		this.running.run(() -> {
			client.transport().pauseReading();
			server.transport().write(payload);
			assertThat(server.transport().getWriteBufferSize()).isPositive();
			assertThat(server.transport().isClosing()).isFalse();
		});
		this.running.run(() -> client.transport().resumeReading());

		assertThat(client.protocol().awaitReceived(payload.length)).isEqualTo(payload);
		assertThat(this.running.awaitErrors(2)).extracting((error) -> error.message())
			.containsExactly("protocol.pauseWriting() failed", "protocol.resumeWriting() failed");
		assertThat(server.lost).isNotDone();
	}

	@Test
	void anExceptionInConnectionLostIsReportedAndTheLoopCarriesOn() throws Exception {
		this.errorsExpected = true;
		Accepted accepted = new Accepted(() -> new RecordingProtocol() {
			@Override
			public void connectionLost(Throwable exc) {
				super.connectionLost(exc);
				throw new IllegalStateException("lost");
			}
		});
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();
		this.running.run(() -> server.transport().close());
		await(client.protocol().lost);

		assertThat(this.running.awaitErrors(1).get(0).message()).contains("connectionLost");
		var again = connect(accepted.server, RecordingProtocol::new);
		assertThat(await(again.protocol().made)).isNotNull();
	}

	// ---------------------------------------------------------------- buffered protocol

	/** Hands out one direct buffer and records what lands in it. */
	static final class CollectingBufferedProtocol implements BufferedProtocol {

		final ByteBuffer buffer = ByteBuffer.allocateDirect(LARGE);

		final List<ByteBuffer> handedOut = new ArrayList<>();

		final CompletableFuture<Throwable> lost = new CompletableFuture<>();

		volatile int updated;

		volatile boolean eof;

		@Override
		public ByteBuffer getBuffer(int sizeHint) {
			ByteBuffer slice = this.buffer.slice(this.buffer.position(),
					Math.min(this.buffer.remaining(), 8192));
			this.handedOut.add(slice);
			return slice;
		}

		@Override
		public void bufferUpdated(int nbytes) {
			ByteBuffer last = this.handedOut.get(this.handedOut.size() - 1);
			assertThat(last.position()).isEqualTo(nbytes);
			this.buffer.position(this.buffer.position() + nbytes);
			this.updated += nbytes;
		}

		@Override
		public boolean eofReceived() {
			this.eof = true;
			return false;
		}

		@Override
		public void connectionLost(Throwable exc) {
			this.lost.complete(exc);
		}

	}

	@Test
	void aBufferedProtocolReceivesStraightIntoTheBufferItHandsOut() throws Exception {
		CompletableFuture<CollectingBufferedProtocol> serverSide = new CompletableFuture<>();
		Server server = startServer(() -> {
			CollectingBufferedProtocol protocol = new CollectingBufferedProtocol();
			serverSide.complete(protocol);
			return protocol;
		});
		var client = connect(server, RecordingProtocol::new);
		byte[] payload = randomBytes(1_000_000);

		this.running.run(() -> {
			client.transport().write(payload);
			client.transport().writeEof();
		});
		CollectingBufferedProtocol protocol = await(serverSide);
		assertThat(await(protocol.lost)).isNull();

		this.running.run(() -> {
			assertThat(protocol.eof).isTrue();
			assertThat(protocol.updated).isEqualTo(payload.length);
			// Each slice shares the protocol's memory, so the bytes are in the protocol's own buffer: no copy.
			byte[] inBuffer = new byte[payload.length];
			protocol.buffer.get(0, inBuffer);
			assertThat(inBuffer).isEqualTo(payload);
		});
	}

	@Test
	void aBufferedProtocolReturningAnEmptyBufferIsAProtocolError() throws Exception {
		this.errorsExpected = true;
		CompletableFuture<Throwable> lost = new CompletableFuture<>();
		Server server = startServer(() -> new BufferedProtocol() {
			@Override
			public ByteBuffer getBuffer(int sizeHint) {
				return ByteBuffer.allocate(0);
			}

			@Override
			public void bufferUpdated(int nbytes) {
			}

			@Override
			public void connectionLost(Throwable exc) {
				lost.complete(exc);
			}
		});
		var client = connect(server, RecordingProtocol::new);
		this.running.run(() -> client.transport().write(new byte[] { 1 }));

		assertThat(await(lost)).hasMessageContaining("empty buffer");
		assertThat(this.running.awaitErrors(1).get(0).message()).contains("getBuffer");
	}

	// ---------------------------------------------------------------- protocol switching and extra info

	@Test
	void setProtocolSendsLaterCallbacksToTheNewProtocol() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol first = accepted.awaitFirst();
		RecordingProtocol second = new RecordingProtocol();

		this.running.run(() -> {
			second.connectionMade(first.transport());
			first.transport().setProtocol(second);
			assertThat(first.transport().getProtocol()).isSameAs(second);
			client.transport().write(new byte[] { 42 });
		});

		assertThat(second.awaitReceived(1)).containsExactly(42);
		assertThat(first.received()).isEmpty();
	}

	@Test
	void extraInfoNamesBothEnds() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();

		this.running.run(() -> {
			Transport c = client.transport();
			Transport s = server.transport();
			assertThat(c.getExtraInfo(ExtraInfo.SOCKNAME)).isNotNull();
			assertThat(s.getExtraInfo(ExtraInfo.PEERNAME)).isEqualTo(c.getExtraInfo(ExtraInfo.SOCKNAME));
			assertThat(c.getExtraInfo(ExtraInfo.PEERNAME)).isEqualTo(accepted.server.addresses().get(0));
			assertThat(c.getExtraInfo(ExtraInfo.PEERCERT)).isNull();
			assertThat(c.getExtraInfo("no-such-key", "fallback")).isEqualTo("fallback");
			assertThat(s.getLoop()).isSameAs(this.loop);
			assertThat(s.toString()).contains("open");
		});
	}

}
