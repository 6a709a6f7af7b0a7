package io.protoloop.nio;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.VirtualClock;
import io.protoloop.metrics.Guard;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.GuardException;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The guards against hostile or broken peers, over real sockets: each ends or refuses one connection with a
 * {@link GuardException} or at accept, counts it, and leaves every other connection alone. Timeouts run in
 * virtual time, so a 60-second timeout is exact and instant.
 */
@Timeout(60)
class GuardTests {

	private RunningLoop running;

	private final Trips trips = new Trips();

	@AfterEach
	void stopLoop() {
		if (this.running != null) {
			this.running.close();
		}
	}

	/** Records the guards that tripped. */
	static final class Trips implements TransportRecorder {

		final ConcurrentLinkedQueue<Guard> guards = new ConcurrentLinkedQueue<>();

		@Override
		public void guardTripped(Guard guard) {
			this.guards.add(guard);
		}

	}

	private Server server(ServerOptions.Builder options, Supplier<? extends StreamProtocol> factory) throws Exception {
		return await(this.running.loop().createServer(factory, options.hosts("127.0.0.1").recorder(this.trips).build()));
	}

	private static int port(Server server) {
		return ((InetSocketAddress) server.addresses().get(0)).getPort();
	}

	private <P extends StreamProtocol> P connect(Server server, Supplier<P> factory, ConnectionOptions options)
			throws Exception {
		return await(this.running.loop().createConnection(factory, "127.0.0.1", port(server), options)).protocol();
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	// ---------------------------------------------------------------- write buffer cap

	@Test
	void aWriteBufferOverItsCapAbortsOnlyThatConnectionAndReportsIt() throws Exception {
		this.running = new RunningLoop("write-cap");
		TransportSettings capped = TransportSettings.DEFAULT.withMaxWriteBufferSize(1024 * 1024);
		CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
		Server server = server(ServerOptions.builder().settings(capped), () -> {
			RecordingProtocol protocol = new RecordingProtocol();
			accepted.complete(protocol);
			return protocol;
		});
		RecordingProtocol slowReader = connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);
		RecordingProtocol serverSide = await(accepted);
		await(serverSide.made);

		// A protocol that ignores pauseWriting: 64 MB for a peer that does not read.
		this.running.run(() -> {
			slowReader.transport().pauseReading();
			for (int i = 0; i < 64; i++) {
				serverSide.transport().write(new byte[1024 * 1024]);
			}
		});

		Throwable cause = await(serverSide.lost);
		assertThat(cause).isInstanceOf(GuardException.class).hasMessageContaining("over its cap of 1048576 bytes");
		assertThat(((GuardException) cause).guard()).isEqualTo(Guard.WRITE_BUFFER_MAX);
		assertThat(this.running.awaitErrors(1)).singleElement()
			.satisfies((error) -> assertThat(error.message()).contains("maxWriteBufferSize"));
		assertThat(this.trips.guards).containsExactly(Guard.WRITE_BUFFER_MAX);
		RecordingProtocol other = connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);
		assertThat(await(other.made)).isNotNull();
	}

	// ---------------------------------------------------------------- timeouts

	private VirtualClock virtualLoop(String name) {
		VirtualClock clock = new VirtualClock();
		this.running = new RunningLoop(LoopOptions.named(name).withClock(clock));
		return clock;
	}

	@Test
	void aSilentConnectionIsClosedExactlyAtItsIdleTimeout() throws Exception {
		virtualLoop("idle");
		TransportSettings idle = TransportSettings.DEFAULT.withIdleTimeout(Duration.ofSeconds(60));
		CompletableFuture<Long> lostAt = new CompletableFuture<>();
		Server server = server(ServerOptions.builder().settings(idle), () -> new RecordingProtocol() {
			@Override
			public void connectionLost(Throwable exc) {
				super.connectionLost(exc);
				lostAt.complete(transport().getLoop().time());
			}
		});
		long start = this.running.call(() -> this.running.loop().time());
		RecordingProtocol client = connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);

		assertThat(await(lostAt) - start).isEqualTo(Duration.ofSeconds(60).toNanos());
		assertThat(await(client.lost)).as("the client sees an orderly end").isNull();
		assertThat(this.trips.guards).containsExactly(Guard.IDLE_TIMEOUT);
	}

	@Test
	void idleConnectionsWithTimeoutsShareTheLoopsOneDeadlineTimer() throws Exception {
		this.running = new RunningLoop("idle-timers");
		TransportSettings timeouts = TransportSettings.DEFAULT.withIdleTimeout(Duration.ofMinutes(5))
			.withReadTimeout(Duration.ofMinutes(1));
		Server server = server(ServerOptions.builder().settings(timeouts), RecordingProtocol::new);
		List<RecordingProtocol> clients = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			clients.add(connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT));
		}
		awaitConnections(server, 20);

		// The 20 server sides watch a deadline each; the clients have no timeouts. One timer for all of them.
		assertThat(this.running.call(() -> this.running.loop().watchedDeadlines())).isEqualTo(20);
		assertThat(this.running.call(() -> this.running.loop().pendingTimers())).isEqualTo(1);
		this.running.run(() -> clients.forEach((client) -> client.transport().close()));
		awaitConnections(server, 0);
		assertThat(this.running.call(() -> this.running.loop().watchedDeadlines())).isZero();
		assertThat(this.running.call(() -> this.running.loop().pendingTimers())).isZero();
	}

	/** Writes a byte every 10 s of loop time, {@code count} times. */
	static final class Ticker extends RecordingProtocol {

		final CompletableFuture<Long> lostAt = new CompletableFuture<>();

		private final int count;

		Ticker(int count) {
			this.count = count;
		}

		@Override
		public void connectionMade(Transport transport) {
			super.connectionMade(transport);
			tick(this.count);
		}

		private void tick(int left) {
			if (left > 0) {
				transport().getLoop().callLater(Duration.ofSeconds(10), () -> {
					transport().write(new byte[] { 1 });
					tick(left - 1);
				});
			}
		}

		@Override
		public void connectionLost(Throwable exc) {
			super.connectionLost(exc);
			this.lostAt.complete(transport().getLoop().time());
		}

	}

	@Test
	void writesKeepAConnectionFromItsIdleTimeout() throws Exception {
		virtualLoop("idle-writes");
		TransportSettings idle = TransportSettings.DEFAULT.withIdleTimeout(Duration.ofSeconds(60));
		CompletableFuture<Ticker> accepted = new CompletableFuture<>();
		Server server = server(ServerOptions.builder().settings(idle), () -> {
			Ticker ticker = new Ticker(10);
			accepted.complete(ticker);
			return ticker;
		});
		long start = this.running.call(() -> this.running.loop().time());
		connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);
		Ticker ticker = await(accepted);

		// The last write is at 100 s: the idle timeout ends the connection 60 s later.
		assertThat(await(ticker.lostAt) - start).isEqualTo(Duration.ofSeconds(160).toNanos());
		assertThat(await(ticker.lost)).isInstanceOf(GuardException.class).hasMessageContaining("idle timeout");
	}

	@Test
	void writesDoNotKeepAConnectionFromItsReadTimeout() throws Exception {
		virtualLoop("read-timeout");
		TransportSettings read = TransportSettings.DEFAULT.withReadTimeout(Duration.ofSeconds(30));
		CompletableFuture<Ticker> accepted = new CompletableFuture<>();
		Server server = server(ServerOptions.builder().settings(read), () -> {
			Ticker ticker = new Ticker(10);
			accepted.complete(ticker);
			return ticker;
		});
		long start = this.running.call(() -> this.running.loop().time());
		connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);
		Ticker ticker = await(accepted);

		assertThat(await(ticker.lostAt) - start).isEqualTo(Duration.ofSeconds(30).toNanos());
		assertThat(((GuardException) await(ticker.lost)).guard()).isEqualTo(Guard.READ_TIMEOUT);
		assertThat(this.trips.guards).containsExactly(Guard.READ_TIMEOUT);
	}

	// ---------------------------------------------------------------- connection limits

	@Test
	void aServerAtItsConnectionLimitClosesNewConnectionsAtOnceAndAdmitsAgainWhenOneEnds() throws Exception {
		this.running = new RunningLoop("max-connections");
		Server server = server(ServerOptions.builder().maxConnections(2), RecordingProtocol::new);
		RecordingProtocol first = connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);
		connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);
		awaitConnections(server, 2);

		RecordingProtocol refused = connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);

		assertThat(await(refused.lost)).as("closed by the server at once").isNull();
		assertThat(refused.received()).isEmpty();
		assertThat(this.trips.guards).containsExactly(Guard.MAX_CONNECTIONS);
		this.running.run(() -> first.transport().close());
		awaitConnections(server, 1);
		RecordingProtocol admitted = connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);
		awaitConnections(server, 2);
		assertThat(admitted.lost).isNotDone();
	}

	@Test
	void aClientAddressAtItsLimitIsRefusedWhileOtherAddressesAreAdmitted() throws Exception {
		this.running = new RunningLoop("max-per-address");
		Server server = server(ServerOptions.builder().maxConnectionsPerAddress(1), RecordingProtocol::new);
		ConnectionOptions from1 = ConnectionOptions.DEFAULT.withLocalAddress(new InetSocketAddress("127.0.0.1", 0));
		ConnectionOptions from2 = ConnectionOptions.DEFAULT.withLocalAddress(new InetSocketAddress("127.0.0.2", 0));
		connect(server, RecordingProtocol::new, from1);
		awaitConnections(server, 1);

		RecordingProtocol refused = connect(server, RecordingProtocol::new, from1);
		assertThat(await(refused.lost)).isNull();
		RecordingProtocol otherAddress = connect(server, RecordingProtocol::new, from2);
		awaitConnections(server, 2);

		assertThat(otherAddress.lost).isNotDone();
		assertThat(this.trips.guards).containsExactly(Guard.MAX_CONNECTIONS_PER_ADDRESS);
	}

	private void awaitConnections(Server server, int count) throws Exception {
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (this.running.call(server::connectionCount) != count) {
			assertThat(System.nanoTime()).as("waiting for %d connections", count).isLessThan(deadline);
		}
	}

	// ---------------------------------------------------------------- lingering close

	@Test
	void closeLingersSoAPeerThatKeepsSendingReceivesEveryByteWrittenThenEof() throws Exception {
		this.running = new RunningLoop("linger");
		byte[] payload = randomBytes(32 * 1024 * 1024);
		Server server = server(ServerOptions.builder(), () -> new RecordingProtocol() {
			@Override
			public void connectionMade(Transport transport) {
				super.connectionMade(transport);
				transport.write(payload);
				transport.close();
			}
		});

		try (Socket client = new Socket("127.0.0.1", port(server))) {
			client.setSoTimeout((int) RunningLoop.TIMEOUT.toMillis());
			// Input the server will never read: it closed before it arrived.
			client.getOutputStream().write(new byte[64 * 1024]);
			byte[] received = readToEnd(client.getInputStream(), payload.length);
			assertThat(received).isEqualTo(payload);
		}
	}

	private static byte[] readToEnd(InputStream in, int expected) throws IOException {
		ByteBuffer received = ByteBuffer.allocate(expected + 1);
		byte[] chunk = new byte[64 * 1024];
		int n;
		while ((n = in.read(chunk)) >= 0) {
			received.put(chunk, 0, Math.min(n, received.remaining()));
		}
		return java.util.Arrays.copyOf(received.array(), received.position());
	}

	@Test
	void abortDoesNotLinger() throws Exception {
		this.running = new RunningLoop("abort");
		Server server = server(ServerOptions.builder(), () -> new RecordingProtocol() {
			@Override
			public void connectionMade(Transport transport) {
				super.connectionMade(transport);
				transport.abort();
			}
		});
		RecordingProtocol client = connect(server, RecordingProtocol::new, ConnectionOptions.DEFAULT);
		await(client.lost);
		awaitConnections(server, 0);
		assertThat(this.running.call(() -> List.copyOf(server.connections()))).isEmpty();
	}

	// ---------------------------------------------------------------- Unix sockets

	@Test
	void aUnixSocketAnotherServerServesIsNotTakenOverAndAStaleOneIsReplaced(@TempDir Path directory) throws Exception {
		this.running = new RunningLoop("unix");
		Path path = directory.resolve("live.sock");
		Server live = await(this.running.loop().createUnixServer(RecordingProtocol::new, path, ServerOptions.DEFAULT));

		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> await(this.running.loop().createUnixServer(RecordingProtocol::new, path,
					ServerOptions.DEFAULT)))
			.havingCause()
			.isInstanceOf(BindException.class)
			.withMessageContaining("Address already in use")
			.withMessageContaining(path.toString());
		RecordingProtocol client = await(this.running.loop().createUnixConnection(RecordingProtocol::new, path,
				ConnectionOptions.DEFAULT)).protocol();
		assertThat(await(client.made)).as("the first server still serves").isNotNull();

		Path stale = directory.resolve("stale.sock");
		try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			dead.bind(UnixDomainSocketAddress.of(stale));
		}
		assertThat(stale).exists();
		Server replacing = await(this.running.loop().createUnixServer(RecordingProtocol::new, stale,
				ServerOptions.DEFAULT));
		assertThat(replacing.isServing()).isTrue();
		live.close();
		replacing.close();
	}

	@Test
	void unixSocketFilesAreOwnerOnlyUnlessConfigured(@TempDir Path directory) throws Exception {
		this.running = new RunningLoop("unix-mode");
		Path owner = directory.resolve("owner.sock");
		Path group = directory.resolve("group.sock");
		await(this.running.loop().createUnixServer(RecordingProtocol::new, owner, ServerOptions.DEFAULT));
		await(this.running.loop().createUnixServer(RecordingProtocol::new, group, ServerOptions.builder()
			.unixFileMode(PosixFilePermissions.fromString("rw-rw----"))
			.build()));

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(owner))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(group))).isEqualTo("rw-rw----");
	}

	// ---------------------------------------------------------------- loop death

	@Test
	void aLoopDyingOfAFatalErrorIsReportedByNameAndGetsNoNewWork() throws Exception {
		try (LogCapture log = LogCapture.of(EventLoopGroup.class);
				EventLoopGroup group = new EventLoopGroup(2, LoopOptions.named("mortal"))) {
			CompletableFuture<String> died = new CompletableFuture<>();
			group.setLoopFailureHandler((loop, error) -> died.complete(loop.name() + ": " + error.getMessage()));
			EventLoop doomed = group.loops().get(0);

			doomed.execute(() -> {
				throw new OutOfMemoryError("injected");
			});

			assertThat(await(died)).isEqualTo("mortal-0: injected");
			for (int i = 0; i < 6; i++) {
				assertThat(group.next()).isSameAs(group.loops().get(1));
			}
			Server server = await(group.createServer(RecordingProtocol::new,
					ServerOptions.builder().hosts("127.0.0.1").build()));
			assertThat(server.getLoop()).isSameAs(group.loops().get(1));
			assertThat(log.recordsContaining("Event loop 'mortal-0' died of java.lang.OutOfMemoryError: injected"))
				.hasSize(1);
		}
	}

}
