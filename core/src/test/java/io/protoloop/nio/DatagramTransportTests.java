package io.protoloop.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.protoloop.udp.DatagramOptions;
import io.protoloop.loop.EventLoop;
import io.protoloop.testing.RecordingDatagramProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.GuardException;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WriteBufferLimits;
import io.protoloop.transport.spi.DatagramQueue;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Datagram endpoints over real UDP sockets on loopback. */
@Timeout(60)
class DatagramTransportTests {

	private final RunningLoop running = new RunningLoop("udp-tests");

	private final SelectorEventLoop loop = this.running.loop();

	private int errorsExpected;

	@AfterEach
	void stopLoop() {
		this.running.close();
		assertThat(this.running.errors()).as("exception-handler calls").hasSize(this.errorsExpected);
	}

	/** Echoes every datagram to its sender. */
	static class Echo extends RecordingDatagramProtocol {

		@Override
		public void datagramReceived(ByteBuffer data, SocketAddress addr) {
			transport().sendto(data.duplicate(), addr);
			super.datagramReceived(data, addr);
		}

	}

	private <P extends RecordingDatagramProtocol> TransportAndProtocol<DatagramTransport, P> endpoint(
			java.util.function.Supplier<P> factory, DatagramOptions options) throws Exception {
		return await(this.loop.createDatagramEndpoint(factory, options));
	}

	private TransportAndProtocol<DatagramTransport, Echo> echoServer() throws Exception {
		return endpoint(Echo::new, DatagramOptions.builder().localAddress("127.0.0.1", 0).build());
	}

	private static InetSocketAddress sockname(TransportAndProtocol<DatagramTransport, ?> endpoint) {
		return (InetSocketAddress) endpoint.transport().getExtraInfo(ExtraInfo.SOCKNAME);
	}

	private TransportAndProtocol<DatagramTransport, RecordingDatagramProtocol> clientOf(
			TransportAndProtocol<DatagramTransport, ?> server) throws Exception {
		return endpoint(RecordingDatagramProtocol::new, DatagramOptions.builder().remoteAddress(sockname(server))
			.build());
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 0, 1, 1024, 8192, 65507 })
	void datagramsOfEverySizeUpToTheIpv4MaximumRoundTripIntact(int size) throws Exception {
		var server = echoServer();
		var client = endpoint(RecordingDatagramProtocol::new,
				DatagramOptions.builder().localAddress("127.0.0.1", 0).build());
		byte[] payload = randomBytes(size);

		this.running.run(() -> client.transport().sendto(ByteBuffer.wrap(payload), sockname(server)));

		RecordingDatagramProtocol.Received atServer = server.protocol().next();
		assertThat(atServer.data()).isEqualTo(payload);
		assertThat(atServer.sender()).isEqualTo(sockname(client));
		RecordingDatagramProtocol.Received echoed = client.protocol().next();
		assertThat(echoed.data()).isEqualTo(payload);
		assertThat(echoed.sender()).isEqualTo(sockname(server));
	}

	@Test
	void aConnectedEndpointSendsToItsPeerByDefaultAndIgnoresEveryoneElse() throws Exception {
		var server = echoServer();
		var client = clientOf(server);
		var stranger = endpoint(RecordingDatagramProtocol::new,
				DatagramOptions.builder().localAddress("127.0.0.1", 0).build());

		this.running.run(() -> {
			assertThat(client.transport().getExtraInfo(ExtraInfo.PEERNAME)).isEqualTo(sockname(server));
			stranger.transport().sendto(new byte[] { 66 }, sockname(client));
			client.transport().sendto(ByteBuffer.wrap(new byte[] { 1 }), sockname(server));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> client.transport().sendto(new byte[] { 2 }, sockname(stranger)))
				.withMessageContaining("Invalid address");
		});

		assertThat(client.protocol().next().data()).containsExactly(1);
		// The round trip with the peer came after the stranger's datagram; had it been delivered, it would be here.
		this.running.run(() -> client.transport().sendto(ByteBuffer.wrap(new byte[] { 3 })));
		assertThat(client.protocol().next().data()).containsExactly(3);
		assertThat(client.protocol().pending()).isEmpty();
	}

	@Test
	void aConnectedEndpointReportsAnEmptyDatagramItCannotSendToErrorReceivedAndGoesOn() throws Exception {
		var client = clientOf(echoServer());

		this.running.run(() -> {
			client.transport().sendto(ByteBuffer.allocate(0));
			client.transport().sendto(ByteBuffer.wrap(new byte[] { 3 }));
		});

		assertThat(client.protocol().nextError()).hasMessageContaining("empty datagram cannot be sent on a connected endpoint");
		assertThat(client.protocol().next().data()).containsExactly(3);
	}

	@Test
	void anUnconnectedEndpointNeedsAnAddressAndHasNoPeername() throws Exception {
		var server = echoServer();

		this.running.run(() -> {
			assertThat(server.transport().getExtraInfo(ExtraInfo.PEERNAME)).isNull();
			// Stored as null, so the default does not replace it (asyncio's dict.get).
			assertThat(server.transport().getExtraInfo(ExtraInfo.PEERNAME, "default")).isNull();
			assertThat(server.transport().getExtraInfo("no such key", "default")).isEqualTo("default");
			assertThat(server.transport().getExtraInfo(ExtraInfo.SOCKET)).isInstanceOf(NetworkChannel.class);
			assertThatIllegalArgumentException().isThrownBy(() -> server.transport().sendto(ByteBuffer.allocate(1)))
				.withMessageContaining("needs an address");
		});
	}

	@Test
	void anUnreachablePortIsReportedToErrorReceivedAndTheEndpointKeepsWorking() throws Exception {
		InetSocketAddress closed;
		try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
			closed = (InetSocketAddress) probe.getLocalAddress();
		}
		var client = endpoint(RecordingDatagramProtocol::new, DatagramOptions.builder().remoteAddress(closed).build());

		this.running.run(() -> client.transport().sendto(ByteBuffer.wrap(new byte[] { 1 })));
		IOException error = client.protocol().nextError();
		assertThat(error).isInstanceOf(PortUnreachableException.class);

		// Someone now listens on that port: the same endpoint reaches it.
		var late = endpoint(Echo::new, DatagramOptions.builder().localAddress(closed).build());
		this.running.run(() -> {
			assertThat(client.transport().isClosing()).isFalse();
			client.transport().sendto(ByteBuffer.wrap(new byte[] { 2 }));
		});
		assertThat(late.protocol().next().data()).containsExactly(2);
		assertThat(client.protocol().next().data()).containsExactly(2);
	}

	@Test
	void manyPeersSendingAtOnceAreAllServedByTheOneProtocol() throws Exception {
		var server = echoServer();
		List<TransportAndProtocol<DatagramTransport, RecordingDatagramProtocol>> clients = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			clients.add(clientOf(server));
		}

		this.running.run(() -> {
			for (int i = 0; i < clients.size(); i++) {
				clients.get(i).transport().sendto(ByteBuffer.wrap(new byte[] { (byte) i }));
			}
		});

		Set<SocketAddress> senders = new HashSet<>();
		for (int i = 0; i < clients.size(); i++) {
			senders.add(server.protocol().next().sender());
			assertThat(clients.get(i).protocol().next().data()).containsExactly((byte) i);
		}
		assertThat(senders).hasSize(clients.size());
	}

	@Test
	void readsAreSpreadFairlyBetweenBusyEndpointsOfOneLoop() throws Exception {
		var busy = echoServer();
		var quiet = echoServer();
		var flood = clientOf(busy);
		var ping = clientOf(quiet);
		int floodSize = DatagramSocketTransport.MAX_DATAGRAMS_PER_READ * 4;

		// Both sockets have datagrams waiting when the loop next selects; the quiet endpoint must be served in the
		// same pass, not after the whole flood.
		List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.running.run(() -> {
			busy.transport().pauseReading();
			quiet.transport().pauseReading();
			busy.transport().setProtocol(new Echo() {
				@Override
				public void datagramReceived(ByteBuffer data, SocketAddress addr) {
					order.add("busy");
				}
			});
			quiet.transport().setProtocol(new Echo() {
				@Override
				public void datagramReceived(ByteBuffer data, SocketAddress addr) {
					order.add("quiet");
				}
			});
			for (int i = 0; i < floodSize; i++) {
				flood.transport().sendto(ByteBuffer.wrap(new byte[] { 1 }));
			}
			ping.transport().sendto(ByteBuffer.wrap(new byte[] { 2 }));
		});
		this.running.run(() -> {
			busy.transport().resumeReading();
			quiet.transport().resumeReading();
		});
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (order.size() < floodSize + 1) {
			assertThat(System.nanoTime()).as("waiting for every datagram").isLessThan(deadline);
			Thread.onSpinWait();
		}
		assertThat(order.indexOf("quiet")).isLessThanOrEqualTo(DatagramSocketTransport.MAX_DATAGRAMS_PER_READ);
	}

	@Test
	void aDatagramLargerThanTheReceiveBufferIsReportedNotTruncated() throws Exception {
		var small = endpoint(RecordingDatagramProtocol::new,
				DatagramOptions.builder().localAddress("127.0.0.1", 0).receiveBufferSize(100).build());
		var client = clientOf(small);

		this.running.run(() -> {
			client.transport().sendto(ByteBuffer.wrap(randomBytes(101)));
			client.transport().sendto(ByteBuffer.wrap(randomBytes(100)));
		});

		assertThat(small.protocol().nextError()).hasMessageContaining("larger than the receive buffer (100 bytes)");
		assertThat(small.protocol().next().data()).isEqualTo(randomBytes(100));
		assertThatIllegalArgumentException().isThrownBy(() -> DatagramOptions.builder().receiveBufferSize(65536).build());
	}

	@Test
	void anExceptionInDatagramReceivedIsReportedAndTheEndpointKeepsServing() throws Exception {
		this.errorsExpected = 2;
		var faulty = endpoint(() -> new RecordingDatagramProtocol() {
			@Override
			public void datagramReceived(ByteBuffer data, SocketAddress addr) {
				super.datagramReceived(data, addr);
				if (data.get(0) == 1) {
					throw new IllegalStateException("bad datagram");
				}
			}

			@Override
			public void errorReceived(IOException exc) {
				super.errorReceived(exc);
				throw new IllegalStateException("bad error");
			}
		}, DatagramOptions.builder().localAddress("127.0.0.1", 0).receiveBufferSize(10).build());
		var client = clientOf(faulty);

		this.running.run(() -> {
			client.transport().sendto(ByteBuffer.wrap(new byte[] { 1 }));
			client.transport().sendto(ByteBuffer.wrap(new byte[20]));
			client.transport().sendto(ByteBuffer.wrap(new byte[] { 2 }));
		});

		assertThat(faulty.protocol().next().data()).containsExactly(1);
		assertThat(faulty.protocol().nextError()).hasMessageContaining("larger than the receive buffer");
		assertThat(faulty.protocol().next().data()).containsExactly(2);
		assertThat(this.running.awaitErrors(2)).extracting((error) -> error.message())
			.containsExactly("protocol.datagramReceived() failed", "protocol.errorReceived() failed");
		assertThat(faulty.protocol().lost).isNotDone();
	}

	@Test
	void aUnixDomainDatagramEndpointServesWhereTheJdkSupportsOneAndFailsClearlyWhereNot(@TempDir Path directory)
			throws Exception {
		DatagramOptions options = DatagramOptions.builder()
			.localAddress(UnixDomainSocketAddress.of(directory.resolve("endpoint.sock")))
			.build();
		CompletableFuture<TransportAndProtocol<DatagramTransport, Echo>> created = this.loop
			.createDatagramEndpoint(Echo::new, options);
		if (!jdkHasUnixDatagrams()) {
			// JDK 17 (JEP 380) brought Unix domain sockets to stream channels only.
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> await(created))
				.havingCause()
				.isInstanceOf(UnsupportedOperationException.class)
				.withMessageContaining("Unix domain datagram sockets are not supported by this JDK")
				.withMessageContaining("createUnixServer");
			return;
		}
		var server = await(created);
		var client = endpoint(RecordingDatagramProtocol::new, DatagramOptions.builder()
			.localAddress(UnixDomainSocketAddress.of(directory.resolve("client.sock")))
			.remoteAddress(server.transport().getExtraInfo(ExtraInfo.SOCKNAME, null) instanceof SocketAddress address
					? address : null)
			.build());
		this.running.run(() -> client.transport().sendto(ByteBuffer.wrap(new byte[] { 42 })));
		assertThat(client.protocol().next().data()).containsExactly(42);
	}

	@SuppressWarnings("try") // opened only to see whether the JDK can
	private static boolean jdkHasUnixDatagrams() {
		try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.UNIX)) {
			return true;
		}
		catch (UnsupportedOperationException | IOException ex) {
			return false;
		}
	}

	@Test
	void pauseReadingHoldsDatagramsUntilResume() throws Exception {
		var server = echoServer();
		var client = clientOf(server);

		this.running.run(() -> {
			server.transport().pauseReading();
			assertThat(server.transport().isReading()).isFalse();
			client.transport().sendto(ByteBuffer.wrap(new byte[] { 1 }));
		});
		this.running.run(() -> assertThat(server.protocol().pending()).isEmpty());
		this.running.run(() -> server.transport().resumeReading());

		assertThat(server.protocol().next().data()).containsExactly(1);
	}

	@Test
	void anUnresolvedHostNameIsResolvedOffTheLoop() throws Exception {
		var server = endpoint(Echo::new, DatagramOptions.builder()
			.localAddress(InetSocketAddress.createUnresolved("localhost", 0))
			.family(java.net.StandardProtocolFamily.INET)
			.build());

		assertThat(sockname(server).getAddress().isLoopbackAddress()).isTrue();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> endpoint(RecordingDatagramProtocol::new, DatagramOptions.builder()
				.remoteAddress(InetSocketAddress.createUnresolved("no-such-host.invalid", 9))
				.build()))
			.withCauseInstanceOf(java.net.UnknownHostException.class);
	}

	@Test
	void anExistingChannelIsUsedAsIs() throws Exception {
		DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
		var server = endpoint(Echo::new, DatagramOptions.builder().socket(channel).build());
		var client = clientOf(server);

		assertThat(sockname(server)).isEqualTo(channel.getLocalAddress());
		this.running.run(() -> client.transport().sendto(ByteBuffer.wrap(new byte[] { 7 })));
		assertThat(client.protocol().next().data()).containsExactly(7);
		this.running.run(() -> server.transport().close());
		await(((SelectorTransport<?>) server.transport()).whenClosed());
		assertThat(channel.isOpen()).isFalse();
	}

	@Test
	void reusePortLetsTwoEndpointsShareAPortAndBroadcastCanBeAllowed() throws Exception {
		var first = endpoint(RecordingDatagramProtocol::new,
				DatagramOptions.builder().localAddress("127.0.0.1", 0).reusePort(true).allowBroadcast(true).build());
		var second = endpoint(RecordingDatagramProtocol::new,
				DatagramOptions.builder().localAddress(sockname(first)).reusePort(true).build());

		assertThat(sockname(second)).isEqualTo(sockname(first));
		NetworkChannel socket = (NetworkChannel) first.transport().getExtraInfo(ExtraInfo.SOCKET);
		assertThat(socket.getOption(java.net.StandardSocketOptions.SO_BROADCAST)).isTrue();
		assertThat(socket.getOption(java.net.StandardSocketOptions.SO_REUSEPORT)).isTrue();
	}

	// ---------------------------------------------------------------- the send queue and flow control

	/** A sender that reports "no room" while closed, as a full socket send buffer does. */
	static final class Gate implements DatagramSocketTransport.Sender {

		private final DatagramSocket socket;

		private volatile boolean open;

		final List<Integer> sentSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

		Gate(DatagramSocket socket) {
			this.socket = socket;
		}

		@Override
		public int send(ByteBuffer data, SocketAddress target) throws IOException {
			if (!this.open) {
				return 0;
			}
			int size = data.remaining();
			int sent = this.socket.send(data, target);
			this.sentSizes.add(size);
			return sent;
		}

	}

	private TransportAndProtocol<DatagramTransport, RecordingDatagramProtocol> gated(Gate[] gate, DatagramQueue queue)
			throws Exception {
		return gated(gate, queue, DatagramOptions.builder().build());
	}

	private TransportAndProtocol<DatagramTransport, RecordingDatagramProtocol> gated(Gate[] gate, DatagramQueue queue,
			DatagramOptions options) throws Exception {
		DatagramSocket socket = this.running.call(() -> this.loop.sockets()
			.openDatagram(DatagramOptions.builder().localAddress("127.0.0.1", 0).build()));
		gate[0] = new Gate(socket);
		RecordingDatagramProtocol protocol = new RecordingDatagramProtocol();
		DatagramSocketTransport transport = this.running.call(() -> new DatagramSocketTransport(this.loop, socket,
				queue, protocol, options, gate[0]));
		CompletableFuture<Void> made = new CompletableFuture<>();
		this.running.run(() -> transport.start(made));
		await(made);
		return new TransportAndProtocol<>(transport, protocol);
	}

	@Test
	void aZeroHighWatermarkPausesOnTheFirstQueuedDatagramAndResumesWhenTheQueueIsEmpty() throws Exception {
		var server = echoServer();
		Gate[] gate = new Gate[1];
		DatagramQueue queue = new DatagramQueue();
		var sender = gated(gate, queue);
		List<Long> sizeAtResume = new ArrayList<>();

		this.running.run(() -> {
			sender.transport().setWriteBufferLimits(0);
			sender.transport().sendto(new byte[100], sockname(server));
			assertThat(sender.transport().getWriteBufferSize()).isEqualTo(100 + DatagramQueue.HEADER_SIZE);
			assertThat(sender.protocol().events()).containsExactly("made", "pause");
			// An empty datagram still counts its header; a second pause is not due while paused.
			sender.transport().sendto(new byte[0], sockname(server));
			assertThat(sender.transport().getWriteBufferSize()).isEqualTo(100 + 2 * DatagramQueue.HEADER_SIZE);
			assertThat(sender.protocol().events()).containsExactly("made", "pause");
			sender.transport().setProtocol(new RecordingDatagramProtocol() {
				@Override
				public void resumeWriting() {
					sizeAtResume.add(sender.transport().getWriteBufferSize());
					sender.protocol().resumeWriting();
				}
			});
		});
		gate[0].open = true;

		assertThat(server.protocol().next().data()).hasSize(100);
		assertThat(server.protocol().next().data()).isEmpty();
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (!sender.protocol().events().contains("resume")) {
			assertThat(System.nanoTime()).isLessThan(deadline);
			Thread.onSpinWait();
		}
		assertThat(sender.protocol().events()).containsExactly("made", "pause", "resume");
		this.running.run(() -> assertThat(sizeAtResume).containsExactly(0L));
		assertThat(gate[0].sentSizes).containsExactly(100, 0);
	}

	@Test
	void closeSendsEveryQueuedDatagramBeforeConnectionLostAndWhatIsSentWhileItFlushes() throws Exception {
		var server = echoServer();
		Gate[] gate = new Gate[1];
		var sender = gated(gate, new DatagramQueue());

		this.running.run(() -> {
			for (int i = 0; i < 10; i++) {
				sender.transport().sendto(new byte[] { (byte) i }, sockname(server));
			}
			sender.transport().close();
			sender.transport().sendto(new byte[] { 99 }, sockname(server));
			assertThat(sender.transport().isClosing()).isTrue();
			assertThat(sender.transport().getWriteBufferSize()).isEqualTo(11 * (1 + DatagramQueue.HEADER_SIZE));
		});
		assertThat(sender.protocol().lost).isNotDone();
		gate[0].open = true;

		assertThat(await(sender.protocol().lost)).isNull();
		for (int i = 0; i < 10; i++) {
			assertThat(server.protocol().next().data()).containsExactly((byte) i);
		}
		assertThat(server.protocol().next().data()).containsExactly(99);
		this.running.run(() -> assertThat(server.protocol().pending()).isEmpty());
	}

	@Test
	void datagramsOverTheWriteCapAreDroppedAndReportedWhileTheEndpointKeepsServing() throws Exception {
		var server = echoServer();
		Gate[] gate = new Gate[1];
		int perDatagram = 100 + DatagramQueue.HEADER_SIZE;
		var sender = gated(gate, new DatagramQueue(), DatagramOptions.builder()
			.settings(TransportSettings.DEFAULT.withWriteBufferLimits(new WriteBufferLimits(perDatagram, 0))
				.withMaxWriteBufferSize(3 * perDatagram))
			.build());

		this.running.run(() -> {
			for (int i = 0; i < 5; i++) {
				sender.transport().sendto(randomBytes(100), sockname(server));
			}
			assertThat(sender.transport().getWriteBufferSize()).isEqualTo(3 * perDatagram);
		});

		assertThat(sender.protocol().nextError()).isInstanceOf(GuardException.class).hasMessageContaining("cap");
		assertThat(sender.protocol().nextError()).isInstanceOf(GuardException.class);
		gate[0].open = true;
		for (int i = 0; i < 3; i++) {
			assertThat(server.protocol().next().data()).hasSize(100);
		}
		// The queue drained: the endpoint sends again, to every peer.
		this.running.run(() -> sender.transport().sendto(randomBytes(100), sockname(server)));
		assertThat(server.protocol().next().data()).hasSize(100);
		assertThat(sender.protocol().lost).isNotDone();
	}

	@Test
	void abortDropsQueuedDatagrams() throws Exception {
		var server = echoServer();
		Gate[] gate = new Gate[1];
		var sender = gated(gate, new DatagramQueue());

		this.running.run(() -> {
			sender.transport().sendto(new byte[] { 1 }, sockname(server));
			sender.transport().abort();
			assertThat(sender.transport().getWriteBufferSize()).isZero();
		});
		gate[0].open = true;

		assertThat(await(sender.protocol().lost)).isNull();
		assertThat(gate[0].sentSizes).isEmpty();
	}

	@Test
	void theDefaultWatermarksAreThoseOfStreams() throws Exception {
		var server = echoServer();
		this.running.run(() -> assertThat(server.transport().getWriteBufferLimits())
			.isEqualTo(WriteBufferLimits.DEFAULT));
	}

}
