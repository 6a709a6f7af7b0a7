package io.protoloop.test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.VirtualClock;
import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The in-memory server and its pairs of transports, on a loop the test runs on its own thread in virtual time,
 * as a user's test would: what only the in-memory medium decides (when bytes move, what the peer of an end that
 * is gone sees) and the server's own rules. The transport rules they share with sockets are in the contract.
 */
@Timeout(30)
class InMemoryServerTests {

	private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

	private final SelectorEventLoop loop = new SelectorEventLoop(
			LoopOptions.named("in-memory-server-tests").withClock(new VirtualClock()));

	private final List<ExceptionContext> errors = new ArrayList<>();

	private final List<RecordingProtocol> accepted = new ArrayList<>();

	private final InMemoryServer server = new InMemoryServer(this.loop, () -> {
		RecordingProtocol protocol = new RecordingProtocol();
		this.accepted.add(protocol);
		return protocol;
	});

	InMemoryServerTests() {
		this.loop.setExceptionHandler((loop, context) -> this.errors.add(context));
	}

	@AfterEach
	void closeLoop() {
		this.loop.close();
		assertThat(this.errors).as("exception-handler calls").isEmpty();
	}

	/** Runs the loop until it has nothing left to do: in virtual time, a far timer fires only then. */
	private void runUntilIdle() throws ExecutionException {
		CompletableFuture<Void> idle = new CompletableFuture<>();
		this.loop.callLater(Duration.ofDays(1), () -> idle.complete(null));
		this.loop.runUntilComplete(idle);
	}

	private TransportAndProtocol<Transport, RecordingProtocol> connect(RecordingProtocol client)
			throws ExecutionException {
		return this.loop.runUntilComplete(this.server.connect(() -> client));
	}

	@Test
	void bytesMoveInALoopCallbackAndWaitInTheWritersBufferUntilThen() throws Exception {
		var client = connect(new RecordingProtocol());
		RecordingProtocol serverSide = this.accepted.get(0);

		client.transport().write(HELLO);
		assertThat(client.transport().getWriteBufferSize()).as("the peer has not taken them yet").isEqualTo(5);
		assertThat(serverSide.received()).isEmpty();
		runUntilIdle();
		assertThat(serverSide.received()).isEqualTo(HELLO);
		assertThat(client.transport().getWriteBufferSize()).isZero();
		assertThat(client.transport().view().snapshot().bytesSent()).isEqualTo(5);
		assertThat(serverSide.transport().view().snapshot().bytesReceived()).isEqualTo(5);
	}

	@Test
	void theEndsNameEachOtherAndTheServerCountsItsConnections() throws Exception {
		var client = connect(new RecordingProtocol());
		Transport serverSide = this.accepted.get(0).transport();

		assertThat(client.transport().getExtraInfo(ExtraInfo.PEERNAME)).isEqualTo(this.server.addresses().get(0))
			.isEqualTo(serverSide.getExtraInfo(ExtraInfo.SOCKNAME));
		assertThat(serverSide.getExtraInfo(ExtraInfo.PEERNAME))
			.isEqualTo(client.transport().getExtraInfo(ExtraInfo.SOCKNAME));
		assertThat(serverSide.getExtraInfo(ExtraInfo.PEERNAME).toString()).startsWith("memory:client-");
		assertThat(client.transport().getExtraInfo(ExtraInfo.SOCKET, "none")).isEqualTo("none");
		assertThat(this.server.sockets()).isEmpty();
		assertThat(this.server.connectionCount()).isEqualTo(1);
		assertThat(this.server.transports()).containsExactly(serverSide);
		assertThat(this.server.connections()).extracting((view) -> view.applicationTransport())
			.containsExactly(serverSide);
		assertThat(this.server.getLoop()).isSameAs(this.loop);
		assertThat(this.server)
			.hasToString("InMemoryServer[" + this.server.addresses().get(0) + ", serving, connections=1]");
	}

	@Test
	void aPausedReaderKeepsTheBytesInTheWritersBufferSoTheWriterPauses() throws Exception {
		var client = connect(new RecordingProtocol());
		RecordingProtocol serverSide = this.accepted.get(0);
		serverSide.transport().pauseReading();
		client.transport().setWriteBufferLimits(50, 10);

		client.transport().write(new byte[100]);
		runUntilIdle();
		assertThat(client.transport().getWriteBufferSize()).isEqualTo(100);
		assertThat(client.protocol().events()).containsExactly("made", "pause");

		serverSide.transport().resumeReading();
		runUntilIdle();
		assertThat(serverSide.received()).hasSize(100);
		assertThat(client.transport().getWriteBufferSize()).isZero();
		assertThat(client.protocol().events()).containsExactly("made", "pause", "resume");
	}

	@Test
	void writeEofReachesThePeerAfterThePendingData() throws Exception {
		var client = connect(new RecordingProtocol());
		RecordingProtocol serverSide = this.accepted.get(0);
		serverSide.transport().pauseReading();

		client.transport().write(HELLO);
		client.transport().writeEof();
		runUntilIdle();
		assertThat(serverSide.events()).containsExactly("made");

		serverSide.transport().resumeReading();
		runUntilIdle();
		assertThat(serverSide.received()).isEqualTo(HELLO);
		// Its eofReceived returned false, so it closed, and the client read EOF in turn.
		assertThat(serverSide.events()).containsExactly("made", "data", "eof", "lost");
		assertThat(client.protocol().events()).containsExactly("made", "eof", "lost");
	}

	@Test
	void thePeerOfAnAbortedEndSeesAReset() throws Exception {
		var client = connect(new RecordingProtocol());
		RecordingProtocol serverSide = this.accepted.get(0);

		serverSide.transport().write(HELLO);
		serverSide.transport().abort();
		runUntilIdle();
		assertThat(serverSide.lost).isCompletedWithValue(null);
		assertThat(client.protocol().lost.getNow(null)).isInstanceOf(IOException.class).hasMessageContaining("reset");
		assertThat(client.protocol().received()).as("abort dropped the pending bytes").isEmpty();
		assertThat(this.server.connectionCount()).isZero();
	}

	@Test
	void anEndClosedWithUnreadDataLingersSoItsPeerSeesAnOrderlyEnd() throws Exception {
		var client = connect(new RecordingProtocol());
		RecordingProtocol serverSide = this.accepted.get(0);
		serverSide.transport().pauseReading();

		client.transport().write(HELLO);
		serverSide.transport().close();
		runUntilIdle();
		assertThat(serverSide.lost).isCompletedWithValue(null);
		// As the socket transports' lingering close: the unread input is discarded, the peer is not reset.
		assertThat(client.protocol().events()).containsExactly("made", "eof", "lost");
		assertThat(client.protocol().lost).isCompletedWithValue(null);
		assertThat(serverSide.received()).isEmpty();
	}

	@Test
	void anAbortedEndWithUnreadDataResetsItsPeerAsASocketDoes() throws Exception {
		var client = connect(new RecordingProtocol());
		RecordingProtocol serverSide = this.accepted.get(0);
		serverSide.transport().pauseReading();

		client.transport().write(HELLO);
		runUntilIdle();
		serverSide.transport().abort();
		runUntilIdle();
		assertThat(client.protocol().lost.getNow(null)).isInstanceOf(IOException.class);
	}

	@Test
	void writingToAnEndThatClosedIsDiscardedWhileItLingersAndResetsOnceItWasAborted() throws Exception {
		var client = connect(new RecordingProtocol().keepOpenOnEof());
		this.accepted.get(0).transport().close();
		runUntilIdle();
		assertThat(client.protocol().events()).containsExactly("made", "eof");

		client.transport().write(HELLO);
		runUntilIdle();
		assertThat(client.protocol().lost).isNotDone();
		assertThat(client.transport().getWriteBufferSize()).isZero();

		var other = connect(new RecordingProtocol().keepOpenOnEof());
		this.accepted.get(1).transport().abort();
		runUntilIdle();
		other.transport().write(HELLO);
		runUntilIdle();
		assertThat(other.protocol().lost.getNow(null)).isInstanceOf(IOException.class);
	}

	@Test
	void aServerThatIsNotServingRefusesConnections() throws Exception {
		this.server.stopServing();
		assertThat(this.server.isServing()).isFalse();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connect(new RecordingProtocol()))
			.withCauseInstanceOf(ConnectException.class);

		this.server.startServing();
		runUntilIdle();
		assertThat(connect(new RecordingProtocol()).protocol().made).isDone();
		assertThat(this.accepted).hasSize(1);
	}

	@Test
	void closeStopsServingAndWaitClosedWaitsForTheConnectionsToEnd() throws Exception {
		var first = connect(new RecordingProtocol());
		var second = connect(new RecordingProtocol());
		CompletableFuture<Void> serving = this.server.serveForever();

		this.server.close();
		this.server.close();
		runUntilIdle();
		assertThat(serving).isDone();
		assertThat(this.server.isServing()).isFalse();
		assertThat(this.server.waitClosed()).as("two connections are open").isNotDone();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connect(new RecordingProtocol()))
			.withCauseInstanceOf(ConnectException.class);
		this.server.startServing();
		assertThat(this.server.isServing()).as("a closed server serves no more").isFalse();

		this.accepted.get(0).transport().write(HELLO);
		this.server.closeClients();
		runUntilIdle();
		assertThat(first.protocol().received()).as("closeClients flushes").isEqualTo(HELLO);
		assertThat(first.protocol().lost).isCompletedWithValue(null);
		assertThat(second.protocol().lost).isCompletedWithValue(null);
		assertThat(this.server.waitClosed()).isDone();
		assertThat(this.server.connectionCount()).isZero();
	}

	@Test
	void abortClientsResetsEveryConnection() throws Exception {
		var client = connect(new RecordingProtocol());

		this.server.abortClients();
		runUntilIdle();
		assertThat(this.accepted.get(0).lost).isCompletedWithValue(null);
		assertThat(client.protocol().lost.getNow(null)).isInstanceOf(IOException.class);
	}

}
