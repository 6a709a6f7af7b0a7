package io.protoloop.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.testing.EchoProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WriteBufferLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The in-memory stream transport, driving the example protocols the way a user's test would. */
class InMemoryTransportTests {

	private final EchoProtocol echo = new EchoProtocol();

	private static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static List<String> flowEvents(InMemoryTransport transport) {
		return transport.events().stream().filter((e) -> e.endsWith("Writing")).toList();
	}

	@Test
	void connectCallsConnectionMadeWithTheTransportAndReportsTheAddresses() {
		InetSocketAddress local = new InetSocketAddress("127.0.0.1", 7);
		InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 50000);
		InMemoryTransport transport = InMemoryTransport.connect(this.echo, local, peer);
		assertThat(this.echo.transport()).isSameAs(transport);
		assertThat(transport.events()).containsExactly("connectionMade");
		assertThat(transport.getProtocol()).isSameAs(this.echo);
		assertThat(transport.getExtraInfo(ExtraInfo.SOCKNAME)).isEqualTo(local);
		assertThat(transport.getExtraInfo(ExtraInfo.PEERNAME)).isEqualTo(peer);
		assertThat(transport.getExtraInfo(ExtraInfo.SOCKET, "none")).isEqualTo("none");
		assertThat(InMemoryTransport.connect(new EchoProtocol()).getExtraInfo(ExtraInfo.PEERNAME)).isNull();
		assertThat(transport.isReading()).isTrue();
		assertThat(transport.isClosing()).isFalse();
		assertThat(transport.canWriteEof()).isTrue();
	}

	@Test
	void writesWaitInTheBufferUntilThePeerReadsThem() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.receive("hello, ");
		transport.receive("world".getBytes(StandardCharsets.UTF_8));
		assertThat(transport.writtenString()).isEqualTo("hello, world");
		assertThat(transport.getWriteBufferSize()).isEqualTo(12);
		assertThat(utf8(transport.peerReads(5))).isEqualTo("hello");
		assertThat(transport.getWriteBufferSize()).isEqualTo(7);
		assertThat(utf8(transport.peerReadsAll())).isEqualTo(", world");
		assertThat(transport.peerReadsAll()).isEmpty();
		assertThat(transport.getWriteBufferSize()).isZero();
		assertThat(transport.writtenString()).as("written() keeps what was read").isEqualTo("hello, world");
		assertThat(transport.events()).containsExactly("connectionMade", "dataReceived", "dataReceived");
	}

	@Test
	void receiveCopiesTheBufferAndLeavesItsPositionAlone() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		ByteBuffer data = ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8));
		transport.receive(data);
		assertThat(data.position()).isZero();
		transport.receive(new byte[0]);
		assertThat(transport.events()).as("an empty receive delivers nothing").hasSize(2);
	}

	@Test
	void aLineProtocolAnswersEachCompleteLineHoweverTheBytesAreSplit() {
		InMemoryTransport transport = InMemoryTransport.connect(new LineProtocol());
		transport.receive("hel");
		transport.receive("lo\nwör");
		assertThat(transport.writtenString()).isEqualTo("echo: hello\n");
		transport.receive("ld\nquit\nignored\n");
		assertThat(transport.writtenString()).isEqualTo("echo: hello\necho: wörld\n");
		assertThat(transport.isClosing()).isTrue();
		transport.peerReadsAll();
		assertThat(transport.events()).endsWith("connectionLost");
	}

	@Test
	void pauseWritingFiresOnlyWhenTheBufferGoesStrictlyOverTheHighWatermark() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.setWriteBufferLimits(10, 2);
		transport.write(new byte[10]);
		assertThat(flowEvents(transport)).as("exactly at the high mark").isEmpty();
		transport.write(new byte[1]);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting");
		transport.write(new byte[100]);
		assertThat(flowEvents(transport)).as("one pause, however much more is written").containsExactly("pauseWriting");
	}

	@Test
	void resumeWritingFiresWhenTheBufferDrainsToTheLowWatermarkNotBefore() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.setWriteBufferLimits(10, 4);
		transport.write(new byte[11]);
		transport.peerReads(6);
		assertThat(transport.getWriteBufferSize()).isEqualTo(5);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting");
		transport.peerReads(1);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting", "resumeWriting");
		transport.peerReadsAll();
		assertThat(flowEvents(transport)).as("one resume").containsExactly("pauseWriting", "resumeWriting");
	}

	@Test
	void zeroWatermarksPauseOnAnyPendingByteAndResumeOnlyWhenTheBufferIsEmpty() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.setWriteBufferLimits(0);
		assertThat(transport.getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(0, 0));
		transport.write(new byte[2]);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting");
		transport.peerReads(1);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting");
		transport.peerReads(1);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting", "resumeWriting");
	}

	@Test
	void pauseAndResumeWritingStayPairedOverManyCycles() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.setWriteBufferLimits(8);
		for (int i = 0; i < 5; i++) {
			transport.write(new byte[5]);
			transport.write(new byte[5]);
			transport.writelines(ByteBuffer.allocate(3), ByteBuffer.allocate(3));
			transport.peerReads(15);
			transport.peerReadsAll();
		}
		assertThat(flowEvents(transport)).hasSize(10).containsSequence("pauseWriting", "resumeWriting",
				"pauseWriting", "resumeWriting");
		for (int i = 0; i < 10; i += 2) {
			assertThat(flowEvents(transport).subList(i, i + 2)).containsExactly("pauseWriting", "resumeWriting");
		}
	}

	@Test
	void writeBufferLimitsAreValidatedAndALoweredHighMarkPausesAtOnce() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		assertThat(transport.getWriteBufferLimits()).isEqualTo(WriteBufferLimits.DEFAULT);
		assertThatIllegalArgumentException().isThrownBy(() -> transport.setWriteBufferLimits(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> transport.setWriteBufferLimits(10, 11));
		assertThatIllegalArgumentException().isThrownBy(() -> transport.setWriteBufferLimits(10, -1));
		transport.setWriteBufferLimits(100);
		assertThat(transport.getWriteBufferLimits()).isEqualTo(new WriteBufferLimits(100, 25));
		transport.write(new byte[50]);
		assertThat(flowEvents(transport)).isEmpty();
		transport.setWriteBufferLimits(40, 10);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting");
	}

	@Test
	void theEchoProtocolStopsReadingWhileThePeerIsSlowAndCatchesUpInOrder() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.setWriteBufferLimits(8, 2);
		transport.receive("0123456789");
		assertThat(transport.isReading()).as("paused by pauseWriting").isFalse();
		transport.receive("abcdefg");
		transport.receive("hi");
		assertThat(transport.writtenString()).as("held while paused").isEqualTo("0123456789");
		assertThat(utf8(transport.peerReads(8))).isEqualTo("01234567");
		assertThat(transport.writtenString()).as("resumed at the low mark, paused again by the echo")
			.isEqualTo("0123456789abcdefg");
		assertThat(transport.isReading()).isFalse();
		assertThat(utf8(transport.peerReadsAll())).isEqualTo("89abcdefg");
		assertThat(utf8(transport.peerReadsAll())).isEqualTo("hi");
		assertThat(transport.isReading()).isTrue();
		assertThat(transport.events()).containsExactly("connectionMade", "dataReceived", "pauseWriting",
				"resumeWriting", "dataReceived", "pauseWriting", "resumeWriting", "dataReceived");
	}

	@Test
	void pauseReadingHoldsDataAndResumeReadingDeliversItInOrderBothIdempotent() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.pauseReading();
		transport.pauseReading();
		transport.receive("one ");
		transport.receive("two");
		assertThat(transport.isReading()).isFalse();
		assertThat(transport.events()).containsExactly("connectionMade");
		transport.resumeReading();
		transport.resumeReading();
		assertThat(transport.isReading()).isTrue();
		assertThat(transport.writtenString()).isEqualTo("one two");
		assertThat(transport.events()).containsExactly("connectionMade", "dataReceived", "dataReceived");
	}

	@Test
	void anEofSentWhileReadingIsPausedWaitsBehindTheHeldData() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.pauseReading();
		transport.receive("last words");
		transport.receiveEof();
		assertThat(transport.isClosing()).isFalse();
		transport.resumeReading();
		assertThat(transport.events()).containsExactly("connectionMade", "dataReceived", "eofReceived");
		assertThat(transport.isClosing()).as("eofReceived returned false").isTrue();
		assertThat(transport.peerReadsAll()).asString(StandardCharsets.UTF_8).isEqualTo("last words");
		assertThat(transport.events()).endsWith("connectionLost");
		assertThatIllegalStateException().isThrownBy(() -> transport.receive("more"));
		assertThatIllegalStateException().isThrownBy(transport::receiveEof);
	}

	@Test
	void eofReceivedReturningTrueLeavesTheTransportHalfOpen() {
		InMemoryTransport transport = InMemoryTransport.connect(new LineProtocol());
		transport.receiveEof();
		assertThat(transport.isClosing()).isFalse();
		assertThat(transport.isEofWritten()).isTrue();
		assertThat(transport.peerReadsAll()).asString(StandardCharsets.UTF_8).isEqualTo("bye\n");
		assertThat(transport.events()).containsExactly("connectionMade", "eofReceived");
	}

	@Test
	void closeFlushesThePendingBytesAndWhatIsWrittenWhileItFlushesThenIgnoresLaterWrites() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.write("pending".getBytes(StandardCharsets.UTF_8));
		transport.close();
		assertThat(transport.isClosing()).isTrue();
		assertThat(transport.isReading()).isFalse();
		assertThat(transport.events()).doesNotContain("connectionLost");
		// Still flushing: appended and sent too, as CPython and uvloop do.
		transport.write(" and".getBytes(StandardCharsets.UTF_8));
		transport.writelines(ByteBuffer.wrap(" more".getBytes(StandardCharsets.UTF_8)));
		transport.receive("dropped: a closing transport reads no more");
		transport.close();
		assertThat(transport.getWriteBufferSize()).isEqualTo(16);
		assertThat(transport.peerReads(3)).asString(StandardCharsets.UTF_8).isEqualTo("pen");
		assertThat(transport.events()).doesNotContain("connectionLost");
		assertThat(transport.peerReadsAll()).asString(StandardCharsets.UTF_8).isEqualTo("ding and more");
		transport.write("ignored: the connection is lost".getBytes(StandardCharsets.UTF_8));
		transport.close();
		transport.abort();
		assertThat(transport.events()).containsExactly("connectionMade", "connectionLost");
		assertThat(this.echo.lostWith()).isNull();
		assertThat(transport.writtenString()).isEqualTo("pending and more");
	}

	@Test
	void closeWithNothingPendingLosesTheConnectionAtOnce() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.close();
		assertThat(transport.events()).containsExactly("connectionMade", "connectionLost");
	}

	@Test
	void abortDropsThePendingBytesAndLosesTheConnectionAtOnceAndOnlyOnce() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.setWriteBufferLimits(0);
		transport.receive("echoed");
		transport.abort();
		assertThat(transport.getWriteBufferSize()).isZero();
		assertThat(transport.peerReadsAll()).isEmpty();
		transport.abort();
		transport.close();
		transport.peerReset(new IOException("too late"));
		assertThat(transport.events()).as("no resumeWriting after the end").containsExactly("connectionMade",
				"dataReceived", "pauseWriting", "connectionLost");
		assertThat(this.echo.lostWith()).isNull();
		assertThat(transport.writtenString()).as("what was written before the abort").isEqualTo("echoed");
	}

	@Test
	void aPeerResetReportsItsExceptionToConnectionLostAtOnce() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.pauseReading();
		transport.receive("never delivered");
		IOException reset = new IOException("Connection reset by peer");
		transport.peerReset(reset);
		assertThat(this.echo.lostWith()).isSameAs(reset);
		assertThat(transport.isClosing()).isTrue();
		assertThat(transport.events()).containsExactly("connectionMade", "connectionLost");
	}

	@Test
	void writingAfterWriteEofThrowsAndWriteEofIsIdempotent() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.write("last".getBytes(StandardCharsets.UTF_8));
		transport.writeEof();
		transport.writeEof();
		assertThat(transport.isEofWritten()).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> transport.write(new byte[] { 1 }))
			.withMessageContaining("writeEof");
		assertThatIllegalStateException().isThrownBy(() -> transport.writelines(ByteBuffer.allocate(1)));
		assertThat(transport.isClosing()).as("a half-close still receives").isFalse();
		assertThat(transport.peerReadsAll()).asString(StandardCharsets.UTF_8).isEqualTo("last");
	}

	@Test
	void aBufferedProtocolGetsTheDataInChunksOfItsOwnBuffer() {
		SmallBuffers protocol = new SmallBuffers(4);
		InMemoryTransport transport = InMemoryTransport.connect(protocol);
		transport.receive("hello world");
		assertThat(protocol.received.toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
		assertThat(protocol.sizes).containsExactly(4, 4, 3);
		assertThat(protocol.hints).containsOnly(-1);
		assertThat(transport.events()).containsExactly("connectionMade", "getBuffer", "bufferUpdated",
				"getBuffer", "bufferUpdated", "getBuffer", "bufferUpdated");
	}

	@Test
	void aBufferedProtocolThatPausesReadingMidwayGetsTheRestOnResumeBeforeNewerData() {
		SmallBuffers protocol = new SmallBuffers(4) {

			@Override
			public void bufferUpdated(int nbytes) {
				super.bufferUpdated(nbytes);
				this.transport.pauseReading();
			}

		};
		InMemoryTransport transport = InMemoryTransport.connect(protocol);
		transport.receive("abcdef");
		transport.receive("gh");
		assertThat(protocol.received.toString(StandardCharsets.UTF_8)).isEqualTo("abcd");
		transport.resumeReading();
		assertThat(protocol.received.toString(StandardCharsets.UTF_8)).isEqualTo("abcdef");
		transport.resumeReading();
		assertThat(protocol.received.toString(StandardCharsets.UTF_8)).isEqualTo("abcdefgh");
	}

	@Test
	void setProtocolSendsLaterCallbacksToTheNewProtocol() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		SmallBuffers next = new SmallBuffers(16);
		transport.setProtocol(next);
		transport.receive("for the new one");
		assertThat(next.received.toString(StandardCharsets.UTF_8)).isEqualTo("for the new one");
		assertThat(transport.written()).isEmpty();
	}

	@Test
	void anExceptionThrownByACallbackReachesTheTestThatCausedIt() {
		Protocol failing = (data) -> {
			throw new IllegalStateException("bad input");
		};
		InMemoryTransport transport = InMemoryTransport.connect(failing);
		assertThatIllegalStateException().isThrownBy(() -> transport.receive("x")).withMessage("bad input");
		assertThat(transport.isClosing()).as("a protocol error aborts the transport, as over a socket").isTrue();
		assertThat(transport.events()).containsExactly("connectionMade", "dataReceived", "connectionLost");
		transport.receive("ignored");
	}

	@Test
	void aCheckedExceptionThrownByACallbackReachesTheTestAsAnAssertionError() {
		IOException checked = new IOException("sneaky");
		Protocol failing = (data) -> InMemoryTransportTests.<RuntimeException>sneakyThrow(checked);
		InMemoryTransport transport = InMemoryTransport.connect(failing);
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> transport.receive("x"))
			.withCause(checked);
		assertThat(transport.events()).endsWith("connectionLost");
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> void sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	@Test
	void anExceptionThrownByConnectionLostReachesTheCallThatEndedTheConnection() {
		Protocol failing = new Protocol() {

			@Override
			public void dataReceived(ByteBuffer data) {
			}

			@Override
			public void connectionLost(Throwable exc) {
				throw new IllegalStateException("cannot clean up");
			}

		};
		InMemoryTransport transport = InMemoryTransport.connect(failing);
		assertThatIllegalStateException().isThrownBy(transport::close).withMessage("cannot clean up");
		assertThat(transport.events()).containsExactly("connectionMade", "connectionLost");
		assertThat(transport.view().whenClosed()).isDone();
	}

	@Test
	void anExceptionThrownByPauseWritingReachesTheWriteThatCausedItAndTheTransportGoesOn() {
		Protocol touchy = new Protocol() {

			@Override
			public void dataReceived(ByteBuffer data) {
			}

			@Override
			public void pauseWriting() {
				throw new IllegalStateException("cannot pause");
			}

		};
		InMemoryTransport transport = InMemoryTransport.connect(touchy);
		transport.setWriteBufferLimits(0);
		assertThatIllegalStateException().isThrownBy(() -> transport.write(new byte[1])).withMessage("cannot pause");
		// As CPython: reported, and the buffer stays, with the transport.
		assertThat(transport.getWriteBufferSize()).isOne();
		assertThat(transport.isClosing()).isFalse();
		assertThat(transport.events()).containsExactly("connectionMade", "pauseWriting");
		assertThat(transport.peerReadsAll()).hasSize(1);
	}

	@Test
	void aCallbackThatReschedulesItselfForeverFailsTheKitCallInsteadOfHanging() {
		Protocol spinning = new Protocol() {

			@Override
			public void connectionMade(Transport transport) {
				spin(transport.getLoop());
			}

			private void spin(EventLoop loop) {
				loop.callSoon(() -> spin(loop));
			}

			@Override
			public void dataReceived(ByteBuffer data) {
			}

		};
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> InMemoryTransport.connect(spinning))
			.withMessageContaining("still busy");
	}

	@Test
	void theTransportCountsItsBytesAndCompletesWhenClosedLikeAnyTransport() {
		InMemoryTransport transport = InMemoryTransport.connect(this.echo);
		transport.receive("abc");
		transport.peerReads(2);
		assertThat(transport.view().snapshot().bytesReceived()).isEqualTo(3);
		assertThat(transport.view().snapshot().bytesSent()).as("what the peer took").isEqualTo(2);
		assertThat(transport.view().whenClosed()).isNotDone();
		transport.abort();
		assertThat(transport.view().whenClosed()).isDone();
		assertThat(transport.getLoop().isClosed()).isFalse();
		transport.getLoop().close();
	}

	@Test
	void theReadmeExample() {
		InMemoryTransport transport = InMemoryTransport.connect(new EchoProtocol());
		transport.setWriteBufferLimits(8, 2);
		transport.receive("0123456789");
		assertThat(transport.isReading()).isFalse();
		transport.receive("more");
		assertThat(transport.peerReadsAll()).asString(StandardCharsets.UTF_8).isEqualTo("0123456789");
		assertThat(transport.writtenString()).isEqualTo("0123456789more");
		transport.close();
		transport.peerReadsAll();
		assertThat(transport.events()).containsExactly("connectionMade", "dataReceived", "pauseWriting",
				"resumeWriting", "dataReceived", "connectionLost");
		transport.getLoop().close();
	}

	@Test
	void connectionLostFollowsTheCallbackThatClosedTheTransportNotInTheMiddleOfIt() {
		List<String> log = new ArrayList<>();
		Protocol quitter = new Protocol() {

			private Transport transport;

			@Override
			public void connectionMade(Transport transport) {
				this.transport = transport;
			}

			@Override
			public void dataReceived(ByteBuffer data) {
				this.transport.abort();
				log.add("after abort");
			}

			@Override
			public void connectionLost(Throwable exc) {
				log.add("lost");
			}

		};
		InMemoryTransport transport = InMemoryTransport.connect(quitter);
		transport.receive("bye");
		assertThat(log).containsExactly("after abort", "lost");
		assertThat(transport.events()).containsExactly("connectionMade", "dataReceived", "connectionLost");
	}

	@Test
	void callbacksTheProtocolSchedulesRunBeforeTheKitMethodReturns() {
		Protocol ticking = new Protocol() {

			@Override
			public void connectionMade(Transport transport) {
				transport.getLoop().callSoon(() -> transport.write("tick".getBytes(StandardCharsets.UTF_8)));
			}

			@Override
			public void dataReceived(ByteBuffer data) {
			}

		};
		InMemoryTransport transport = InMemoryTransport.connect(ticking);
		assertThat(transport.writtenString()).isEqualTo("tick");
		assertThat(transport.getLoop().isRunning()).isFalse();
		transport.getLoop().close();
	}

	@Test
	void timersRunWhenTheTestMovesTheVirtualClockEachAtItsOwnTime() {
		List<String> fired = new ArrayList<>();
		Protocol idle = new Protocol() {

			@Override
			public void connectionMade(Transport transport) {
				EventLoop loop = transport.getLoop();
				loop.callLater(Duration.ofSeconds(30), () -> {
					fired.add("ping at " + Duration.ofNanos(loop.time()).toSeconds());
					loop.callLater(Duration.ofSeconds(5), () -> fired.add("pong at " + Duration.ofNanos(loop.time()).toSeconds()));
				});
				loop.callLater(Duration.ofSeconds(60), transport::close);
			}

			@Override
			public void dataReceived(ByteBuffer data) {
			}

		};
		InMemoryTransport transport = InMemoryTransport.connect(idle);
		transport.advance(Duration.ofSeconds(29));
		assertThat(fired).as("nothing before its time").isEmpty();
		transport.advance(Duration.ofSeconds(10));
		assertThat(fired).containsExactly("ping at 30", "pong at 35");
		assertThat(Duration.ofNanos(transport.getLoop().time())).isEqualTo(Duration.ofSeconds(39));
		assertThat(transport.isClosing()).isFalse();
		transport.advance(Duration.ofSeconds(21));
		assertThat(transport.events()).containsExactly("connectionMade", "connectionLost");
		assertThatIllegalArgumentException().isThrownBy(() -> transport.advance(Duration.ofSeconds(-1)));
	}

	/** Reads into buffers of a fixed size and records what each callback saw. */
	static class SmallBuffers implements BufferedProtocol {

		final ByteArrayOutputStream received = new ByteArrayOutputStream();

		final List<Integer> sizes = new ArrayList<>();

		final List<Integer> hints = new ArrayList<>();

		private final ByteBuffer buffer;

		Transport transport;

		SmallBuffers(int size) {
			this.buffer = ByteBuffer.allocate(size);
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
		}

		@Override
		public ByteBuffer getBuffer(int sizeHint) {
			this.hints.add(sizeHint);
			return this.buffer.clear();
		}

		@Override
		public void bufferUpdated(int nbytes) {
			this.sizes.add(nbytes);
			this.received.write(this.buffer.array(), 0, nbytes);
		}

	}

}
