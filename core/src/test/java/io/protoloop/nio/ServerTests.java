package io.protoloop.nio;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.tcp.ServerOptions;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.loop.EventLoop;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code Server} objects and the connection methods of the loop, over real sockets. */
@Timeout(60)
class ServerTests {

	private final RunningLoop running = new RunningLoop("server-tests");

	private final SelectorEventLoop loop = this.running.loop();

	@TempDir
	Path directory;

	private int errorsExpected;

	@AfterEach
	void stopLoop() {
		this.running.close();
		assertThat(this.running.errors()).as("exception-handler calls").hasSize(this.errorsExpected);
	}

	private Server startServer(ServerOptions options, AtomicInteger madeCount) throws Exception {
		return await(this.loop.createServer(() -> new RecordingProtocol() {
			@Override
			public void connectionMade(Transport transport) {
				super.connectionMade(transport);
				madeCount.incrementAndGet();
			}
		}, options));
	}

	/** Starts a server whose first accepted transport completes {@code accepted}. */
	private Server startServer(ServerOptions options, CompletableFuture<Transport> accepted) throws Exception {
		return await(this.loop.createServer(() -> new RecordingProtocol() {
			@Override
			public void connectionMade(Transport transport) {
				super.connectionMade(transport);
				accepted.complete(transport);
			}
		}, options));
	}

	private static int port(Server server) {
		return ((InetSocketAddress) server.addresses().get(0)).getPort();
	}

	private TransportAndProtocol<Transport, RecordingProtocol> connect(int port) throws Exception {
		return await(this.loop.createConnection(RecordingProtocol::new, "127.0.0.1", port));
	}

	@Test
	void portZeroBindsAFreePortThatServerAddressesReport() throws Exception {
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").build(), new AtomicInteger());

		assertThat(server.addresses()).singleElement()
			.satisfies((address) -> assertThat(((InetSocketAddress) address).getPort()).isPositive());
		assertThat(server.sockets()).singleElement()
			.satisfies((socket) -> assertThat(socket.getLocalAddress()).isEqualTo(server.addresses().get(0)));
		assertThat(server.isServing()).isTrue();
		assertThat(server.getLoop()).isSameAs(this.loop);
	}

	@Test
	void severalHostsBindOneSocketPerAddress() throws Exception {
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1", "127.0.0.2").build(),
				new AtomicInteger());

		assertThat(server.addresses()).extracting((address) -> ((InetSocketAddress) address).getHostString())
			.containsExactly("127.0.0.1", "127.0.0.2");
		var first = connect(port(server));
		var second = await(this.loop.createConnection(RecordingProtocol::new, "127.0.0.2",
				((InetSocketAddress) server.addresses().get(1)).getPort()));
		assertThat(await(first.protocol().made)).isNotNull();
		assertThat(await(second.protocol().made)).isNotNull();
	}

	@Test
	void noHostBindsAllInterfaces() throws Exception {
		Server server = startServer(ServerOptions.DEFAULT, new AtomicInteger());

		assertThat(((InetSocketAddress) server.addresses().get(0)).getAddress().isAnyLocalAddress()).isTrue();
		assertThat(await(connect(port(server)).protocol().made)).isNotNull();
	}

	@Test
	void aPortInUseFailsWithTheAddressInTheMessage() throws Exception {
		Server first = startServer(ServerOptions.builder().hosts("127.0.0.1").reuseAddress(false).build(),
				new AtomicInteger());
		CompletableFuture<Server> second = this.loop.createServer(RecordingProtocol::new,
				ServerOptions.builder().hosts("127.0.0.1").port(port(first)).build());

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> await(second))
			.withCauseInstanceOf(BindException.class);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> await(second))
			.withMessageContaining("127.0.0.1:" + port(first));
	}

	@Test
	void reusePortLetsTwoServersShareAPort() throws Exception {
		Server first = startServer(ServerOptions.builder().hosts("127.0.0.1").reusePort(true).build(),
				new AtomicInteger());
		Server second = startServer(ServerOptions.builder().hosts("127.0.0.1").port(port(first)).reusePort(true)
			.build(), new AtomicInteger());

		assertThat(port(second)).isEqualTo(port(first));
	}

	@Test
	void keepAliveAndNoDelayAreSetOnAcceptedConnections() throws Exception {
		CompletableFuture<Transport> accepted = new CompletableFuture<>();
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").keepAlive(true).build(), accepted);
		connect(port(server));
		Transport transport = await(accepted);

		NetworkChannel socket = (NetworkChannel) transport.getExtraInfo(ExtraInfo.SOCKET);
		assertThat(socket.getOption(java.net.StandardSocketOptions.SO_KEEPALIVE)).isTrue();
		assertThat(socket.getOption(java.net.StandardSocketOptions.TCP_NODELAY)).isTrue();
	}

	@Test
	void anExistingServerSocketChannelIsServedAsIs() throws Exception {
		ServerSocketChannel channel = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
		AtomicInteger made = new AtomicInteger();
		Server server = startServer(ServerOptions.builder().socket(channel).build(), made);

		assertThat(server.addresses()).containsExactly(channel.getLocalAddress());
		assertThat(await(connect(port(server)).protocol().made)).isNotNull();
		server.close();
		server.closeClients();
		await(server.waitClosed());
		assertThat(channel.isOpen()).isFalse();
	}

	@Test
	void startServingFalseAcceptsNothingUntilStartServing() throws Exception {
		AtomicInteger made = new AtomicInteger();
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").startServing(false).build(), made);
		assertThat(server.isServing()).isFalse();

		// The kernel completes the handshake (the socket listens), but no protocol exists until serving starts.
		connect(port(server));
		assertThat(this.running.call(made::get)).isZero();

		server.startServing();
		awaitCount(made, 1);
		assertThat(server.isServing()).isTrue();
	}

	@Test
	void stopServingHoldsNewConnectionsInTheBacklogUntilServingStartsAgain() throws Exception {
		AtomicInteger made = new AtomicInteger();
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").build(), made);
		connect(port(server));
		awaitCount(made, 1);

		server.stopServing();
		this.running.run(() -> {
		});
		assertThat(server.isServing()).isFalse();
		connect(port(server));
		assertThat(this.running.call(made::get)).isEqualTo(1);

		server.startServing();
		awaitCount(made, 2);
	}

	@Test
	void aTransportSnapshotReportsItsCountersLimitsAndState() throws Exception {
		CompletableFuture<Transport> accepted = new CompletableFuture<>();
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").build(), accepted);
		var client = connect(port(server));
		Transport serverSide = await(accepted);
		this.running.run(() -> client.transport().write(new byte[100]));
		this.running.run(() -> serverSide.write(new byte[7]));
		((RecordingProtocol) serverSide.getProtocol()).awaitReceived(100);

		io.protoloop.transport.TransportSnapshot snapshot = this.running
			.call(() -> serverSide.view().snapshot());
		assertThat(snapshot.bytesReceived()).isEqualTo(100);
		assertThat(snapshot.bytesSent()).isEqualTo(7);
		assertThat(snapshot.peer()).isEqualTo(this.running.call(() -> client.transport().getExtraInfo(ExtraInfo.SOCKNAME)));
		assertThat(snapshot.writeBufferLimits()).isEqualTo(io.protoloop.transport.WriteBufferLimits.DEFAULT);
		assertThat(snapshot.writingPaused()).isFalse();
		assertThat(snapshot.closing()).isFalse();
		assertThat(snapshot.age()).isPositive();
		assertThat(snapshot.id()).isPositive();
		assertThat(server.transports()).containsExactly(serverSide);
	}

	private void awaitCount(AtomicInteger count, int expected) throws Exception {
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (this.running.call(count::get) < expected) {
			assertThat(System.nanoTime()).as("waiting for %d connections", expected).isLessThan(deadline);
		}
	}

	@Test
	void closeStopsAcceptingButLeavesConnectionsOpenUntilCloseClients() throws Exception {
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").build(), new AtomicInteger());
		int port = port(server);
		var client = connect(port);
		CompletableFuture<Void> forever = server.serveForever();
		CompletableFuture<Void> closed = server.waitClosed();
		awaitConnections(server, 1);

		server.close();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> await(forever));
		assertThat(server.isServing()).isFalse();
		assertThat(await(server.serveForever().<Throwable>handle((ignored, ex) -> ex)))
			.isInstanceOf(IllegalStateException.class).hasMessageContaining("closed server");
		assertThat(server.sockets()).isEmpty();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connect(port))
			.withCauseInstanceOf(ConnectException.class);

		// The accepted connection still works both ways.
		this.running.run(() -> client.transport().write(new byte[] { 5 }));
		assertThat(closed).isNotDone();

		server.closeClients();
		await(closed);
		assertThat(await(client.protocol().lost)).isNull();
		assertThat(server.connectionCount()).isZero();
	}

	@Test
	void abortClientsDropsTheirBufferedData() throws Exception {
		CompletableFuture<Transport> accepted = new CompletableFuture<>();
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").build(), accepted);
		var client = connect(port(server));
		Transport serverSide = await(accepted);
		this.running.run(() -> {
			client.transport().pauseReading();
			serverSide.write(new byte[io.protoloop.conformance.StreamTransportContract.LARGE]);
		});

		server.abortClients();
		server.close();
		await(server.waitClosed());
		this.running.run(() -> client.transport().resumeReading());
		await(client.protocol().lost);
		assertThat(client.protocol().received().length).isLessThan(io.protoloop.conformance.StreamTransportContract.LARGE);
	}

	private void awaitConnections(Server server, int count) throws Exception {
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (this.running.call(server::connectionCount) < count) {
			assertThat(System.nanoTime()).as("waiting for %d connections", count).isLessThan(deadline);
		}
	}

	@Test
	void serveForeverMayWaitOnceAndStartsServing() throws Exception {
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").startServing(false).build(),
				new AtomicInteger());
		assertThat(server.isServing()).isFalse();

		CompletableFuture<Void> forever = server.serveForever();

		assertThat(await(server.serveForever().<Throwable>handle((ignored, ex) -> ex)))
			.isInstanceOf(IllegalStateException.class).hasMessageContaining("already waiting");
		this.running.run(() -> assertThat(server.isServing()).isTrue());
		assertThat(forever).isNotDone();
		server.close();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> await(forever));
	}

	@Test
	void connectingToAHostWhoseAddressesAllFailTheSameWayReportsOneError() throws Exception {
		int port;
		try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
			port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
		}

		// As a host name with two addresses: both refuse, the same way.
		List<SocketAddress> addresses = List.of(new InetSocketAddress("127.0.0.1", port),
				new InetSocketAddress("127.0.0.2", port));
		CompletableFuture<?> connecting = this.running.call(
				() -> Connector.connect(this.loop, RecordingProtocol::new, addresses, ConnectionOptions.DEFAULT));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> await(connecting))
			.havingCause()
			.isInstanceOf(ConnectException.class)
			.withMessage("error while attempting to connect to " + addresses + ": Connection refused");
	}

	@Test
	void connectingToAClosedPortFailsWithConnectException() throws Exception {
		int port;
		try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
			port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
		}

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connect(port))
			.withCauseInstanceOf(ConnectException.class)
			.withMessageContaining("127.0.0.1:" + port);
	}

	@Test
	void anUnknownHostFailsWithUnknownHostException() {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> await(this.loop.createConnection(RecordingProtocol::new, "no-such-host.invalid", 80)))
			.withCauseInstanceOf(UnknownHostException.class);
	}

	@Test
	void aHostWithSeveralAddressesIsTriedAddressByAddress() throws Exception {
		// "localhost" may resolve to ::1 before 127.0.0.1; the server listens on IPv4 only, so the attempt must
		// fall through to the address that works.
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").build(), new AtomicInteger());

		var client = await(this.loop.createConnection(RecordingProtocol::new, "localhost", port(server)));

		assertThat(await(client.protocol().made)).isNotNull();
		assertThat(this.running.call(() -> client.transport().getExtraInfo(ExtraInfo.PEERNAME)))
			.isEqualTo(server.addresses().get(0));
	}

	@Test
	void aLocalAddressIsBoundBeforeConnecting() throws Exception {
		Server server = startServer(ServerOptions.builder().hosts("127.0.0.1").build(), new AtomicInteger());
		int localPort;
		try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
			localPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
		}

		var client = await(this.loop.createConnection(RecordingProtocol::new, "127.0.0.1", port(server),
				ConnectionOptions.DEFAULT.withLocalAddress(new InetSocketAddress("127.0.0.1", localPort))));

		SocketAddress local = this.running.call(() -> (SocketAddress) client.transport().getExtraInfo(ExtraInfo.SOCKNAME));
		assertThat(((InetSocketAddress) local).getPort()).isEqualTo(localPort);
	}

	@Test
	void connectAcceptedSocketRejectsAnUnconnectedChannel() throws Exception {
		try (SocketChannel unconnected = SocketChannel.open()) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> await(this.loop.connectAcceptedSocket(RecordingProtocol::new, unconnected,
						ConnectionOptions.DEFAULT)))
				.withCauseInstanceOf(IllegalArgumentException.class);
		}
	}

	// ---------------------------------------------------------------- Unix domain sockets

	@Test
	void aUnixServerRemovesAStaleSocketFileAndItsOwnFileOnClose() throws Exception {
		Path path = this.directory.resolve("stale.sock");
		ServerSocketChannel dead = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)
			.bind(UnixDomainSocketAddress.of(path));
		dead.close();
		assertThat(path).exists();

		Server server = await(this.loop.createUnixServer(RecordingProtocol::new, path, ServerOptions.DEFAULT));
		var client = await(this.loop.createUnixConnection(RecordingProtocol::new, path, ConnectionOptions.DEFAULT));
		assertThat(await(client.protocol().made)).isNotNull();
		assertThat(this.running.call(() -> client.transport().getExtraInfo(ExtraInfo.PEERNAME)))
			.isEqualTo(UnixDomainSocketAddress.of(path));

		server.close();
		server.closeClients();
		await(server.waitClosed());
		assertThat(path).doesNotExist();
	}

	@Test
	void aUnixServerRefusesAPathThatIsNotASocket() throws IOException {
		Path path = Files.writeString(this.directory.resolve("data.txt"), "keep me");

		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> await(this.loop.createUnixServer(RecordingProtocol::new, path, ServerOptions.DEFAULT)))
			.withCauseInstanceOf(BindException.class)
			.withMessageContaining("not a socket");
		assertThat(path).hasContent("keep me");
	}

	@Test
	void aUnixServerLeavesAFileThatReplacedItsSocket() throws Exception {
		Path path = this.directory.resolve("replaced.sock");
		Server server = await(this.loop.createUnixServer(RecordingProtocol::new, path, ServerOptions.DEFAULT));
		Files.delete(path);
		Files.writeString(path, "someone else's");

		server.close();
		await(server.waitClosed());
		assertThat(path).hasContent("someone else's");
	}

	// ---------------------------------------------------------------- loop shutdown

	@Test
	void closingTheLoopClosesServersAndEveryProtocolSeesConnectionLost() throws Exception {
		RunningLoop other = new RunningLoop("closing");
		CompletableFuture<Thread> lostOn = new CompletableFuture<>();
		Server server = await(other.loop().createServer(() -> new RecordingProtocol() {
			@Override
			public void connectionLost(Throwable exc) {
				super.connectionLost(exc);
				lostOn.complete(Thread.currentThread());
			}
		}, ServerOptions.builder().hosts("127.0.0.1").build()));
		var client = connect(port(server));
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (other.call(server::connectionCount) < 1) {
			assertThat(System.nanoTime()).isLessThan(deadline);
		}

		other.close();

		assertThat(await(lostOn).getName()).isEqualTo("closing-0");
		assertThat(server.isServing()).isFalse();
		assertThat(other.loop().isClosed()).isTrue();
		await(client.protocol().lost);
		assertThat(client.protocol().violations()).isEmpty();
	}

	@Test
	void aProtocolFactoryThatThrowsLosesOnlyThatConnection() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		this.errorsExpected = 1;
		Server server = await(this.loop.createServer(() -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("factory failed");
			}
			return new RecordingProtocol();
		}, ServerOptions.builder().hosts("127.0.0.1").build()));

		var first = connect(port(server));
		await(first.protocol().lost);
		assertThat(this.running.awaitErrors(1).get(0).exception()).hasMessage("factory failed");
		var second = connect(port(server));
		this.running.run(() -> second.transport().write(ByteBuffer.wrap(new byte[] { 1 })));
		assertThat(await(second.protocol().made)).isNotNull();
	}

}
