package io.protoloop.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.protoloop.transport.spi.DatagramQueue;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.test.InMemoryDatagramTransport.Datagram;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.WriteBufferLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The in-memory datagram transport, driving an example protocol the way a user's test would. */
class InMemoryDatagramTransportTests {

	private static final SocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 9999);

	private static final SocketAddress ALICE = new InetSocketAddress("127.0.0.1", 40001);

	private static final SocketAddress BOB = new InetSocketAddress("127.0.0.1", 40002);

	private final Pong pong = new Pong();

	private static List<String> flowEvents(InMemoryDatagramTransport transport) {
		return transport.events().stream().filter((e) -> e.endsWith("Writing")).toList();
	}

	/** Answers each datagram with {@code pong: <text>} to its sender; stops reading while its queue is full. */
	static class Pong implements DatagramProtocol {

		final List<IOException> errors = new ArrayList<>();

		DatagramTransport transport;

		@Override
		public void connectionMade(DatagramTransport transport) {
			this.transport = transport;
		}

		@Override
		public void datagramReceived(ByteBuffer data, SocketAddress addr) {
			String text = StandardCharsets.UTF_8.decode(data).toString();
			this.transport.sendto(("pong: " + text).getBytes(StandardCharsets.UTF_8), addr);
		}

		@Override
		public void errorReceived(IOException exc) {
			this.errors.add(exc);
		}

		@Override
		public void pauseWriting() {
			this.transport.pauseReading();
		}

		@Override
		public void resumeWriting() {
			this.transport.resumeReading();
		}

	}

	@Test
	void aDatagramReachesTheProtocolWithItsSenderAndTheReplyIsRecordedWithItsDestination() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong, LOCAL, null);
		transport.receive("ping", ALICE);
		transport.receive("ping".getBytes(StandardCharsets.UTF_8), BOB);
		assertThat(transport.sent()).containsExactly(new Datagram("pong: ping".getBytes(StandardCharsets.UTF_8), ALICE),
				new Datagram("pong: ping".getBytes(StandardCharsets.UTF_8), BOB));
		assertThat(transport.getWriteBufferSize()).isEqualTo(2 * (10 + DatagramQueue.HEADER_SIZE));
		assertThat(transport.flush()).extracting(Datagram::address).containsExactly(ALICE, BOB);
		assertThat(transport.getWriteBufferSize()).isZero();
		assertThat(transport.sent()).as("sent() keeps what was flushed").hasSize(2);
		assertThat(transport.events()).containsExactly("connectionMade", "datagramReceived", "datagramReceived");
		assertThat(transport.getExtraInfo(ExtraInfo.SOCKNAME)).isEqualTo(LOCAL);
		assertThat(transport.getExtraInfo(ExtraInfo.PEERNAME)).isNull();
	}

	@Test
	void anUnconnectedEndpointNeedsAnAddressAndMaySendAnEmptyDatagram() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong);
		assertThatIllegalArgumentException().isThrownBy(() -> transport.sendto(ByteBuffer.allocate(1)));
		transport.sendto(new byte[0], ALICE);
		assertThat(transport.sent()).containsExactly(new Datagram(new byte[0], ALICE));
		assertThat(transport.getWriteBufferSize()).as("an empty datagram still counts its header")
			.isEqualTo(DatagramQueue.HEADER_SIZE);
	}

	@Test
	void aConnectedEndpointSendsToItsPeerRefusesOtherAddressesAndReportsEmptyDatagramsItCannotSend() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong, LOCAL, ALICE);
		transport.sendto(ByteBuffer.wrap(new byte[] { 1 }));
		transport.sendto(new byte[] { 2 }, ALICE);
		assertThatIllegalArgumentException().isThrownBy(() -> transport.sendto(new byte[] { 3 }, BOB));
		transport.sendto(ByteBuffer.allocate(0));
		assertThat(transport.sent()).containsExactly(new Datagram(new byte[] { 1 }, ALICE),
				new Datagram(new byte[] { 2 }, ALICE));
		assertThat(transport.events()).endsWith("errorReceived");
		assertThat(transport.getExtraInfo(ExtraInfo.PEERNAME)).isEqualTo(ALICE);
	}

	@Test
	void queuedDatagramsPauseWritingStrictlyOverTheHighMarkAndResumeAtTheLowMark() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong);
		transport.setWriteBufferLimits(30, 12);
		transport.sendto(new byte[7], ALICE);
		transport.sendto(new byte[7], ALICE);
		assertThat(transport.getWriteBufferSize()).isEqualTo(30);
		assertThat(flowEvents(transport)).as("exactly at the high mark").isEmpty();
		transport.sendto(new byte[0], ALICE);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting");
		transport.peerReads(1);
		assertThat(transport.getWriteBufferSize()).isEqualTo(23);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting");
		assertThat(transport.peerReads(1)).containsExactly(new Datagram(new byte[7], ALICE));
		assertThat(transport.getWriteBufferSize()).isEqualTo(8);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting", "resumeWriting");
		assertThat(transport.peerReads(5)).hasSize(1);
		assertThat(flowEvents(transport)).containsExactly("pauseWriting", "resumeWriting");
	}

	@Test
	void aPausedProtocolStopsReadingAndItsHeldDatagramsArriveInOrderOnceTheQueueDrains() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong);
		transport.setWriteBufferLimits(0);
		transport.receive("1", ALICE);
		assertThat(transport.isReading()).isFalse();
		transport.receive("2", BOB);
		transport.receive("3", ALICE);
		assertThat(transport.sent()).extracting(Datagram::text).containsExactly("pong: 1");
		assertThat(transport.flush()).extracting(Datagram::text).containsExactly("pong: 1");
		assertThat(transport.flush()).extracting(Datagram::text).containsExactly("pong: 2");
		assertThat(transport.flush()).extracting(Datagram::text).containsExactly("pong: 3");
		assertThat(transport.isReading()).isTrue();
		assertThat(transport.sent()).extracting(Datagram::address).containsExactly(ALICE, BOB, ALICE);
	}

	@Test
	void pauseReadingAndResumeReadingAreIdempotent() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong);
		transport.pauseReading();
		transport.pauseReading();
		transport.receive(new byte[0], ALICE);
		assertThat(transport.events()).containsExactly("connectionMade");
		transport.resumeReading();
		transport.resumeReading();
		assertThat(transport.sent()).extracting(Datagram::text).containsExactly("pong: ");
		transport.close();
		transport.pauseReading();
		transport.resumeReading();
		assertThat(transport.isReading()).isFalse();
	}

	@Test
	void closeSendsTheQueuedDatagramsAndThoseSentWhileItFlushesThenIgnoresLaterSends() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong);
		transport.sendto(new byte[] { 1 }, ALICE);
		transport.sendto(new byte[] { 2 }, BOB);
		transport.close();
		transport.sendto(new byte[] { 3 }, ALICE);
		transport.receive("dropped", ALICE);
		assertThat(transport.events()).doesNotContain("connectionLost");
		assertThat(transport.peerReads(1)).containsExactly(new Datagram(new byte[] { 1 }, ALICE));
		assertThat(transport.events()).doesNotContain("connectionLost");
		assertThat(transport.flush()).containsExactly(new Datagram(new byte[] { 2 }, BOB),
				new Datagram(new byte[] { 3 }, ALICE));
		transport.sendto(new byte[] { 4 }, ALICE);
		transport.close();
		assertThat(transport.events()).containsExactly("connectionMade", "connectionLost");
		assertThat(transport.sent()).hasSize(3);
	}

	@Test
	void abortDropsTheQueueAndLosesTheConnectionAtOnce() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong);
		transport.setWriteBufferLimits(0);
		transport.sendto(new byte[] { 1 }, ALICE);
		transport.abort();
		transport.abort();
		assertThat(transport.getWriteBufferSize()).isZero();
		assertThat(transport.flush()).isEmpty();
		assertThat(transport.events()).containsExactly("connectionMade", "pauseWriting", "connectionLost");
	}

	@Test
	void anInjectedErrorReachesErrorReceivedAndTheEndpointKeepsWorking() {
		InMemoryDatagramTransport transport = InMemoryDatagramTransport.open(this.pong, LOCAL, ALICE);
		PortUnreachableException unreachable = new PortUnreachableException();
		transport.error(unreachable);
		transport.receive("still here", ALICE);
		assertThat(this.pong.errors).containsExactly(unreachable);
		assertThat(transport.sent()).extracting(Datagram::text).containsExactly("pong: still here");
		transport.abort();
		transport.error(new IOException("after the end"));
		assertThat(this.pong.errors).hasSize(1);
		assertThat(transport.events()).containsExactly("connectionMade", "errorReceived", "datagramReceived",
				"connectionLost");
	}

	@Test
	void datagramsAreEqualByContentAndTheDefaultWatermarksAreThoseOfStreams() {
		assertThat(new Datagram(new byte[] { 1, 2 }, ALICE)).isEqualTo(new Datagram(new byte[] { 1, 2 }, ALICE))
			.hasSameHashCodeAs(new Datagram(new byte[] { 1, 2 }, ALICE))
			.isNotEqualTo(new Datagram(new byte[] { 1, 2 }, BOB))
			.hasToString("Datagram[data=[1, 2], address=" + ALICE + "]");
		assertThat(InMemoryDatagramTransport.open(this.pong).getWriteBufferLimits())
			.isEqualTo(WriteBufferLimits.DEFAULT);
	}

}
