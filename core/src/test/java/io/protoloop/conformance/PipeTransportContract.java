package io.protoloop.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.WritePipeTransport;
import io.protoloop.transport.WriteBufferLimits;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The behaviour every pipe transport must show, run against each kind of pipe (a selectable {@link Pipe}, Java
 * streams pumped by threads, a FIFO): a write end and a read end of one pipe, connected to the same loop. The
 * shared transport rules where a pipe has them: callback order and the end of stream, close and abort, write
 * flow control with its edge cases, pausing reads, callbacks that throw, the buffered-protocol read path; and
 * what is a pipe's own: the read end closes at EOF whatever {@code eofReceived} says, {@code writeEof()} closes
 * the write end, a write after the reader left fails once with a broken pipe. Every test fails on unexpected
 * exception-handler calls.
 */
@Timeout(60)
public abstract class PipeTransportContract {

	/** More than a pipe's kernel buffer and a pump's chunk: a reader that does not read makes the writer buffer. */
	public static final int LARGE = 4 * 1024 * 1024;

	protected RunningLoop running;

	protected EventLoop loop;

	private boolean errorsExpected;

	/** The two ends of one pipe, each with its protocol's {@code connectionMade} done. */
	public record Ends(ReadPipeTransport reader, WritePipeTransport writer) {
	}

	/** Opens a pipe of this kind and connects its ends to {@code reader} and {@code writer} on {@link #loop}. */
	protected abstract Ends open(StreamProtocol reader, StreamProtocol writer) throws Exception;

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

	protected void expectErrors() {
		this.errorsExpected = true;
	}

	protected static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	/**
	 * Proves that the loop has polled for I/O since the call: a byte through a selectable pipe of its own comes
	 * back. What a paused reader would have received by then has arrived.
	 */
	protected void loopPolledIo() throws Exception {
		Pipe witness = Pipe.open();
		RecordingProtocol received = new RecordingProtocol();
		await(this.loop.connectReadPipe(() -> received, witness.source()));
		witness.sink().write(ByteBuffer.wrap(new byte[] { 1 }));
		received.awaitReceived(1);
		witness.sink().close();
		await(received.lost);
	}

	// ---------------------------------------------------------------- order and the end of stream

	@Test
	void dataArrivesInOrderThenEofAndBothEndsSeeTheSpecOrder() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		Ends ends = open(reader, writer);
		byte[] payload = randomBytes(300_000);

		this.running.run(() -> {
			ends.writer().setWriteBufferLimits(payload.length);
			ends.writer().write(payload);
			ends.writer().close();
			assertThat(ends.writer().isClosing()).isTrue();
		});

		assertThat(await(reader.lost)).isNull();
		assertThat(reader.received()).isEqualTo(payload);
		assertThat(reader.events()).containsExactly("made", "data", "eof", "lost");
		assertThat(await(writer.lost)).isNull();
		assertThat(writer.events()).containsExactly("made", "lost");
		assertThat(reader.violations()).isEmpty();
		this.running.run(() -> {
			assertThat(ends.reader().isClosing()).isTrue();
			assertThat(ends.reader().isReading()).isFalse();
		});
	}

	@Test
	void theReadEndClosesAtEofEvenWhenEofReceivedReturnsTrue() throws Exception {
		RecordingProtocol reader = new RecordingProtocol().keepOpenOnEof();
		Ends ends = open(reader, new RecordingProtocol());

		this.running.run(() -> {
			ends.writer().write(new byte[] { 1, 2, 3 });
			ends.writer().close();
		});

		assertThat(await(reader.lost)).isNull();
		assertThat(reader.events()).containsExactly("made", "data", "eof", "lost");
	}

	@Test
	void writeEofClosesTheWriteEndAfterFlushing() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		Ends ends = open(reader, writer);

		this.running.run(() -> {
			assertThat(ends.writer().canWriteEof()).isTrue();
			ends.writer().write(new byte[] { 4, 5 });
			ends.writer().writeEof();
			assertThat(ends.writer().isClosing()).isTrue();
		});

		assertThat(await(writer.lost)).isNull();
		assertThat(await(reader.lost)).isNull();
		assertThat(reader.received()).containsExactly(4, 5);
	}

	// ---------------------------------------------------------------- close and abort

	@Test
	void closeFlushesEveryBufferedByteBeforeConnectionLost() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		Ends ends = open(reader, writer);
		byte[] payload = randomBytes(LARGE);

		this.running.run(() -> {
			ends.reader().pauseReading();
			ends.writer().write(payload);
			ends.writer().close();
			assertThat(ends.writer().getWriteBufferSize()).isPositive();
		});
		assertThat(writer.lost).isNotDone();
		this.running.run(() -> ends.reader().resumeReading());

		assertThat(reader.awaitReceived(payload.length)).isEqualTo(payload);
		assertThat(await(writer.lost)).isNull();
		assertThat(await(reader.lost)).isNull();
		assertThat(writer.violations()).isEmpty();
	}

	@Test
	void abortDropsBufferedDataAndTheReaderSeesTheEndOfWhatWasSent() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		Ends ends = open(reader, writer);
		byte[] payload = randomBytes(LARGE);

		this.running.run(() -> {
			ends.reader().pauseReading();
			ends.writer().write(payload);
			ends.writer().abort();
			assertThat(ends.writer().getWriteBufferSize()).isZero();
			assertThat(ends.writer().isClosing()).isTrue();
		});
		assertThat(await(writer.lost)).isNull();
		this.running.run(() -> ends.reader().resumeReading());

		assertThat(await(reader.lost)).isNull();
		assertThat(reader.received().length).isLessThan(payload.length);
		assertThat(reader.events()).endsWith("eof", "lost");
	}

	@Test
	void writesAfterTheConnectionIsLostAreIgnoredWithoutErrors() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		Ends ends = open(reader, writer);

		this.running.run(() -> {
			ends.writer().write(new byte[] { 1, 2, 3 });
			ends.writer().close();
		});
		assertThat(await(writer.lost)).isNull();
		this.running.run(() -> {
			for (int i = 0; i < 10; i++) {
				ends.writer().write(new byte[] { 9 });
			}
			ends.writer().close();
			ends.writer().abort();
			assertThat(ends.writer().getWriteBufferSize()).isZero();
		});

		await(reader.lost);
		assertThat(reader.received()).containsExactly(1, 2, 3);
		assertThat(writer.events()).containsExactly("made", "lost");
	}

	@Test
	void writesWhileCloseStillFlushesAreSentToo() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		Ends ends = open(reader, new RecordingProtocol());
		byte[] payload = randomBytes(LARGE);
		byte[] last = "and the last word".getBytes();

		this.running.run(() -> {
			ends.reader().pauseReading();
			ends.writer().write(payload);
			ends.writer().close();
			assertThat(ends.writer().getWriteBufferSize()).isPositive();
			ends.writer().write(last);
		});
		this.running.run(() -> ends.reader().resumeReading());

		assertThat(reader.awaitReceived(payload.length + last.length)).startsWith(payload).endsWith(last);
		assertThat(await(reader.lost)).isNull();
	}

	@Test
	void aWriteAfterTheReaderLeftFailsOnceWithABrokenPipeAndLaterWritesAreIgnored() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		Ends ends = open(reader, writer);
		this.running.run(() -> ends.reader().close());
		await(ends.reader().view().whenClosed());

		this.running.run(() -> ends.writer().write(new byte[] { 1 }));
		Throwable cause = await(writer.lost);
		this.running.run(() -> {
			for (int i = 0; i < 20; i++) {
				ends.writer().write(new byte[] { 2 });
			}
		});

		assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining("Broken pipe");
		assertThat(writer.events()).containsExactly("made", "lost");
		assertThat(writer.violations()).isEmpty();
	}

	// ---------------------------------------------------------------- reading flow control

	@Test
	void pauseReadingStopsDataUntilResumeAndBothAreIdempotent() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		Ends ends = open(reader, new RecordingProtocol());

		this.running.run(() -> {
			ends.reader().pauseReading();
			ends.reader().pauseReading();
			assertThat(ends.reader().isReading()).isFalse();
			ends.writer().write(new byte[] { 1, 2, 3 });
		});
		loopPolledIo();
		assertThat(reader.received()).isEmpty();

		this.running.run(() -> {
			ends.reader().resumeReading();
			ends.reader().resumeReading();
			assertThat(ends.reader().isReading()).isTrue();
		});
		assertThat(reader.awaitReceived(3)).containsExactly(1, 2, 3);

		this.running.run(() -> {
			ends.reader().close();
			ends.reader().pauseReading();
			ends.reader().resumeReading();
			assertThat(ends.reader().isReading()).isFalse();
			ends.writer().close();
		});
		assertThat(await(reader.lost)).isNull();
	}

	// ---------------------------------------------------------------- write flow control

	@Test
	void writeBufferLimitsDefaultToSixtyFourAndSixteenKibAndAreValidated() throws Exception {
		Ends ends = open(new RecordingProtocol(), new RecordingProtocol());

		this.running.run(() -> {
			assertThat(ends.writer().getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(65536, 16384));
			ends.writer().setWriteBufferLimits(1000);
			assertThat(ends.writer().getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(1000, 250));
			assertThatIllegalArgumentException().isThrownBy(() -> ends.writer().setWriteBufferLimits(100, 101));
			assertThat(ends.writer().getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(1000, 250));
		});
	}

	@Test
	void aReaderThatDoesNotReadPausesTheWriterOnceAndDrainingResumesItOnce() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		Ends ends = open(reader, writer);
		byte[] chunk = randomBytes(64 * 1024);
		int chunks = LARGE / chunk.length;

		this.running.run(() -> {
			ends.reader().pauseReading();
			for (int i = 0; i < chunks; i++) {
				ends.writer().write(chunk);
			}
			assertThat(ends.writer().getWriteBufferSize()).isGreaterThan(65536);
		});
		assertThat(writer.events()).containsExactly("made", "pause");

		this.running.run(() -> ends.reader().resumeReading());
		reader.awaitReceived(chunks * chunk.length);
		writer.awaitEvent("resume");
		assertThat(writer.events()).containsExactly("made", "pause", "resume");
		this.running.run(() -> assertThat(ends.writer().getWriteBufferSize()).isZero());
		assertThat(writer.violations()).isEmpty();
	}

	@Test
	void pauseIsDueOnlyStrictlyOverTheHighMarkAndResumeAtOrBelowTheLowMark() throws Exception {
		RecordingProtocol writer = new RecordingProtocol();
		Ends ends = open(new RecordingProtocol(), writer);

		this.running.run(() -> {
			ends.reader().pauseReading();
			ends.writer().setWriteBufferLimits(Integer.MAX_VALUE);
			while (ends.writer().getWriteBufferSize() == 0) {
				ends.writer().write(randomBytes(256 * 1024));
			}
			long size = ends.writer().getWriteBufferSize();
			ends.writer().setWriteBufferLimits((int) size, 0);
			assertThat(writer.events()).containsExactly("made");
			ends.writer().setWriteBufferLimits((int) size - 1, 0);
			assertThat(writer.events()).containsExactly("made", "pause");
			ends.writer().write(new byte[1000]);
			ends.writer().setWriteBufferLimits(0);
		});
		this.running.run(() -> ends.reader().resumeReading());
		writer.awaitEvent("resume");
		assertThat(writer.events()).containsExactly("made", "pause", "resume");
		this.running.run(() -> assertThat(ends.writer().getWriteBufferSize()).isZero());
	}

	@Test
	void zeroHighWatermarkPausesWheneverAnythingIsBufferedAndResumesOnlyWhenEmpty() throws Exception {
		List<Long> sizesAtResume = new ArrayList<>();
		RecordingProtocol writer = new RecordingProtocol() {
			@Override
			public void resumeWriting() {
				sizesAtResume.add(((WritePipeTransport) this.pipeMade.getNow(null)).getWriteBufferSize());
				super.resumeWriting();
			}
		};
		Ends ends = open(new RecordingProtocol(), writer);

		this.running.run(() -> {
			ends.writer().setWriteBufferLimits(0);
			ends.reader().pauseReading();
			while (ends.writer().getWriteBufferSize() == 0) {
				ends.writer().write(randomBytes(256 * 1024));
			}
			assertThat(writer.events()).containsExactly("made", "pause");
		});
		this.running.run(() -> ends.reader().resumeReading());
		writer.awaitEvent("resume");
		this.running.run(() -> assertThat(sizesAtResume).containsExactly(0L));
	}

	@Test
	void aProtocolMayWriteFromResumeWriting() throws Exception {
		byte[] more = randomBytes(1000);
		RecordingProtocol writer = new RecordingProtocol() {
			@Override
			public void resumeWriting() {
				super.resumeWriting();
				WritePipeTransport pipe = (WritePipeTransport) this.pipeMade.getNow(null);
				pipe.write(more);
				pipe.close();
			}
		};
		RecordingProtocol reader = new RecordingProtocol();
		Ends ends = open(reader, writer);
		byte[] payload = randomBytes(LARGE);

		this.running.run(() -> {
			ends.reader().pauseReading();
			ends.writer().write(payload);
		});
		this.running.run(() -> ends.reader().resumeReading());

		assertThat(reader.awaitReceived(payload.length + more.length)).startsWith(payload).endsWith(more);
		assertThat(await(writer.lost)).isNull();
		assertThat(await(reader.lost)).isNull();
	}

	@Test
	void writelinesSendsEveryBufferInOrder() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		Ends ends = open(reader, new RecordingProtocol());
		byte[] a = randomBytes(10);
		byte[] b = randomBytes(LARGE / 2);
		byte[] c = randomBytes(70_000);

		this.running.run(() -> {
			ends.writer().writelines(ByteBuffer.wrap(a), ByteBuffer.wrap(b), ByteBuffer.allocate(0));
			ends.writer().writelines(ByteBuffer.wrap(c));
		});

		byte[] received = reader.awaitReceived(a.length + b.length + c.length);
		assertThat(received).isEqualTo(ByteBuffer.allocate(received.length).put(a).put(b).put(c).array());
	}

	// ---------------------------------------------------------------- protocol errors

	@Test
	void anExceptionInDataReceivedAbortsTheReadEnd() throws Exception {
		expectErrors();
		RuntimeException failure = new IllegalStateException("bad frame");
		RecordingProtocol reader = new RecordingProtocol() {
			@Override
			public void dataReceived(ByteBuffer data) {
				super.dataReceived(data);
				throw failure;
			}
		};
		Ends ends = open(reader, new RecordingProtocol());

		this.running.run(() -> ends.writer().write(new byte[] { 1 }));

		assertThat(await(reader.lost)).isSameAs(failure);
		ExceptionContext error = this.running.awaitErrors(1).get(0);
		assertThat(error.message()).isEqualTo("Fatal error: protocol.dataReceived() call failed.");
		assertThat(error.exception()).isSameAs(failure);
		this.running.run(() -> ends.writer().close());
	}

	@Test
	void anExceptionInConnectionMadeIsReportedAndThePipeGoesOn() throws Exception {
		expectErrors();
		RecordingProtocol reader = new RecordingProtocol() {
			@Override
			public void connectionMade(ReadPipeTransport transport) {
				super.connectionMade(transport);
				throw new IllegalStateException("not ready");
			}
		};
		Ends ends = open(reader, new RecordingProtocol());

		this.running.run(() -> {
			ends.writer().write(new byte[] { 7 });
			ends.writer().close();
		});

		assertThat(await(reader.lost)).isNull();
		assertThat(reader.received()).containsExactly(7);
		assertThat(this.running.errors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).isEqualTo("protocol.connectionMade() failed"));
	}

	@Test
	void anExceptionInPauseWritingIsReportedAndTheBufferedDataStillArrives() throws Exception {
		expectErrors();
		RecordingProtocol writer = new RecordingProtocol() {
			@Override
			public void pauseWriting() {
				super.pauseWriting();
				throw new IllegalStateException("cannot pause");
			}
		};
		RecordingProtocol reader = new RecordingProtocol();
		Ends ends = open(reader, writer);
		byte[] payload = randomBytes(LARGE);

		this.running.run(() -> {
			ends.writer().write(payload);
			ends.writer().close();
		});

		assertThat(reader.awaitReceived(payload.length)).isEqualTo(payload);
		assertThat(await(writer.lost)).isNull();
		assertThat(this.running.errors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).isEqualTo("protocol.pauseWriting() failed"));
	}

	// ---------------------------------------------------------------- protocols

	@Test
	void aBufferedProtocolReceivesThroughTheBuffersItHandsOut() throws Exception {
		ByteBuffer small = ByteBuffer.allocate(1000);
		List<Integer> updates = new ArrayList<>();
		java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
		java.util.concurrent.CompletableFuture<Throwable> lost = new java.util.concurrent.CompletableFuture<>();
		BufferedProtocol reader = new BufferedProtocol() {
			@Override
			public ByteBuffer getBuffer(int sizeHint) {
				return small.clear();
			}

			@Override
			public void bufferUpdated(int nbytes) {
				updates.add(nbytes);
				received.write(small.array(), 0, nbytes);
			}

			@Override
			public void connectionLost(Throwable exc) {
				lost.complete(exc);
			}
		};
		Ends ends = open(reader, new RecordingProtocol());
		byte[] payload = randomBytes(100_000);

		this.running.run(() -> {
			ends.writer().write(payload);
			ends.writer().close();
		});

		assertThat(await(lost)).isNull();
		assertThat(received.toByteArray()).isEqualTo(payload);
		assertThat(updates).allMatch((n) -> n > 0 && n <= 1000);
	}

	@Test
	void setProtocolSendsLaterCallbacksToTheNewProtocol() throws Exception {
		RecordingProtocol first = new RecordingProtocol();
		RecordingProtocol second = new RecordingProtocol();
		Ends ends = open(first, new RecordingProtocol());

		this.running.run(() -> {
			ends.reader().setProtocol(second);
			assertThat(ends.reader().getProtocol()).isSameAs(second);
			ends.writer().write(new byte[] { 1, 2 });
			ends.writer().close();
		});

		assertThat(await(second.lost)).isNull();
		assertThat(second.received()).containsExactly(1, 2);
		assertThat(first.events()).containsExactly("made");
	}

	@Test
	void extraInfoNamesThePipeAndNoAddresses() throws Exception {
		Ends ends = open(new RecordingProtocol(), new RecordingProtocol());

		this.running.run(() -> {
			assertThat(ends.reader().getExtraInfo(ExtraInfo.PIPE)).isNotNull();
			assertThat(ends.writer().getExtraInfo(ExtraInfo.PIPE)).isNotNull();
			assertThat(ends.reader().getExtraInfo(ExtraInfo.PEERNAME, "none")).isEqualTo("none");
			assertThat(ends.writer().getExtraInfo(ExtraInfo.SOCKNAME, "none")).isEqualTo("none");
			ends.writer().close();
		});
	}

	@Test
	void closingBothEndsLeavesNoThreadBehindWhetherTheReaderWaitsForDataOrIsPaused() throws Exception {
		java.util.Set<Thread> before = pipeThreads();
		Ends waiting = open(new RecordingProtocol(), new RecordingProtocol());
		RecordingProtocol pausedReader = new RecordingProtocol();
		Ends paused = open(pausedReader, new RecordingProtocol());
		this.running.run(() -> {
			waiting.writer().write(new byte[] { 1 });
			paused.reader().pauseReading();
			paused.writer().write(randomBytes(LARGE));
		});
		loopPolledIo();

		this.running.run(() -> {
			waiting.reader().close();
			waiting.writer().close();
			paused.reader().close();
			paused.writer().abort();
		});
		await(waiting.reader().view().whenClosed());
		await(paused.writer().view().whenClosed());

		RunningLoop.awaitCondition(() -> before.containsAll(pipeThreads()),
				() -> "pipe threads left: " + pipeThreads());
	}

	/** Returns the pump threads of pipes that belong to no child process. */
	protected static java.util.Set<Thread> pipeThreads() {
		java.util.Set<Thread> threads = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
		threads.removeIf((thread) -> !thread.getName().startsWith("protoloop-pipe-"));
		return threads;
	}

	@Test
	void closingTheLoopAbortsBothEnds() throws Exception {
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		open(reader, writer);

		this.running.close();

		assertThat(reader.lost).isDone();
		assertThat(writer.lost).isDone();
	}

}
