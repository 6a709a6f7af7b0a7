package io.protoloop.nio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.LoopOptions;
import io.protoloop.protocol.Protocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.EchoProtocol;
import io.protoloop.testing.TestCertificates;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

import static io.protoloop.testing.RunningLoop.await;
import static io.protoloop.testing.RunningLoop.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many connections doing different things at once over two-loop groups, from a seeded script: whole echoes of
 * random sizes in random pieces, slow readers that pause and then resume, aborts in the middle of a stream, closes
 * right after connecting, and (against TLS) plain-text garbage instead of a handshake. Over plain TCP and over
 * TLS, and over Unix sockets. Whatever the interleaving, every echo comes back whole, every connection ends, no loop reports an error
 * or stops, and no descriptor stays open. It runs on {@code java.nio} and, in the build's epoll run, on the native
 * backend, whose descriptor handling it shakes.
 */
@Timeout(120)
class ConnectionChurnTests {

	/** Connections per round over plain TCP; TLS has a quarter as many, each costing two handshakes' CPU. */
	private static final int CONNECTIONS = 240;

	private static final int MAX_PAYLOAD = 192 * 1024;

	private static final String HOST = "127.0.0.1";

	/** What a client connection does. */
	enum Script {

		/**
		 * Sends a random payload in random pieces, then EOF (over TLS, which has none: closes once all of it came
		 * back), and expects all of it back before the end.
		 */
		ECHO,
		/** The same, but reads nothing until a few milliseconds after its last write: both ends fill up and pause. */
		SLOW_READER,
		/** Sends some pieces, then aborts in the middle of the stream. */
		ABORT,
		/** Closes as soon as it is connected. */
		CLOSE_AT_ONCE,
		/** Connects without TLS and sends random bytes then EOF: against a TLS server, a handshake that fails. */
		GARBAGE

	}

	/** A client running one {@link Script}; {@link #ended} completes at its {@code connectionLost}. */
	static final class Client implements Protocol {

		final Script script;

		final byte[] payload;

		private final Random random;

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		final CompletableFuture<Throwable> ended = new CompletableFuture<>();

		private Transport transport;

		private int sent;

		Client(Script script, Random random) {
			this.script = script;
			this.random = random;
			this.payload = new byte[1 + random.nextInt(MAX_PAYLOAD)];
			random.nextBytes(this.payload);
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
			if (this.script == Script.CLOSE_AT_ONCE) {
				transport.close();
				return;
			}
			if (this.script == Script.SLOW_READER) {
				transport.pauseReading();
			}
			sendNextPiece();
		}

		/** Writes one piece, then schedules the next, so the writes interleave with every other connection's I/O. */
		private void sendNextPiece() {
			if (this.transport.isClosing()) {
				return;
			}
			if (this.script == Script.ABORT && this.sent > 0 && this.random.nextInt(4) == 0) {
				this.transport.abort();
				return;
			}
			int piece = Math.min(this.payload.length - this.sent, 1 + this.random.nextInt(32 * 1024));
			if (this.random.nextBoolean()) {
				this.transport.write(Arrays.copyOfRange(this.payload, this.sent, this.sent + piece));
			}
			else {
				int half = piece / 2;
				this.transport.writelines(ByteBuffer.wrap(this.payload, this.sent, half),
						ByteBuffer.wrap(this.payload, this.sent + half, piece - half));
			}
			this.sent += piece;
			if (this.sent < this.payload.length) {
				this.transport.getLoop().callSoon(this::sendNextPiece);
			}
			else if (this.script == Script.ABORT) {
				this.transport.abort();
			}
			else {
				if (this.transport.canWriteEof()) {
					this.transport.writeEof();
				}
				if (this.script == Script.SLOW_READER) {
					this.transport.getLoop()
						.callLater(Duration.ofMillis(1 + this.random.nextInt(20)), this.transport::resumeReading);
				}
			}
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.received.writeBytes(bytes);
			if (this.received.size() == this.payload.length && !this.transport.canWriteEof()) {
				this.transport.close();
			}
		}

		@Override
		public void connectionLost(Throwable exc) {
			this.ended.complete(exc);
		}

		byte[] received() {
			return this.received.toByteArray();
		}

	}

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tcp", "unix", "tls" })
	void churnOfMixedConnectionsEndsEveryOneCleanlyAndLeavesNoDescriptorOpen(String kind) throws Exception {
		TestCertificates certificates = kind.equals("tls") ? TestCertificates.get() : null;
		TlsOptions serverTls = (certificates != null) ? TlsOptions.builder(certificates.server()).build() : null;
		TlsOptions clientTls = (certificates != null)
				? TlsOptions.builder(certificates.trustOnly()).serverHostname("localhost").build() : null;
		Path socketFile = kind.equals("unix") ? this.directory.resolve("churn.sock") : null;
		// The first round also loads every class and opens whatever the JDK opens once; the second must end with
		// no more descriptors open than the first ended with.
		int connections = (certificates != null) ? CONNECTIONS / 4 : CONNECTIONS;
		runRound(1, connections, socketFile, serverTls, clientTls);
		long afterFirst = openDescriptors();
		runRound(2, connections, socketFile, serverTls, clientTls);
		assertThat(openDescriptors()).as("descriptors open after the second round").isLessThanOrEqualTo(afterFirst);
	}

	/** Runs one round over TCP, or over a Unix socket at {@code socketFile} if not {@code null}, TLS if given. */
	private void runRound(long seed, int connections, Path socketFile, TlsOptions serverTls, TlsOptions clientTls)
			throws Exception {
		List<ExceptionContext> errors = new CopyOnWriteArrayList<>();
		List<Client> clients = new ArrayList<>();
		try (EventLoopGroup servers = new EventLoopGroup(2, LoopOptions.named("churn-server"));
				EventLoopGroup clientLoops = new EventLoopGroup(2, LoopOptions.named("churn-client"))) {
			Stream.concat(servers.loops().stream(), clientLoops.loops().stream())
				.forEach((loop) -> loop.setExceptionHandler((failing, context) -> errors.add(context)));
			ServerOptions.Builder serverOptions = ServerOptions.builder().backlog(1024).tls(serverTls);
			Server server = await((socketFile != null)
					? servers.createUnixServer(EchoProtocol::new, socketFile, serverOptions.build())
					: servers.createServer(EchoProtocol::new, serverOptions.hosts(HOST).build()));
			int port = (socketFile != null) ? 0 : ((InetSocketAddress) server.addresses().get(0)).getPort();
			List<CompletableFuture<Throwable>> ends = new ArrayList<>();
			Random scripts = new Random(seed);
			for (int i = 0; i < connections; i++) {
				Client client = new Client(Script.values()[scripts.nextInt(Script.values().length)],
						new Random(seed * 1_000_003 + i));
				clients.add(client);
				ConnectionOptions options = (client.script == Script.GARBAGE || clientTls == null)
						? ConnectionOptions.DEFAULT : ConnectionOptions.DEFAULT.withTls(clientTls);
				ends.add(((socketFile != null) ? clientLoops.createUnixConnection(() -> client, socketFile, options)
						: clientLoops.createConnection(() -> client, HOST, port, options))
					.thenCompose((connected) -> client.ended));
			}
			await(CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)));

			for (int i = 0; i < connections; i++) {
				Client client = clients.get(i);
				if (client.script == Script.ECHO || client.script == Script.SLOW_READER
						|| (client.script == Script.GARBAGE && serverTls == null)) {
					assertThat(client.ended.join()).as("connection %d (%s) ended cleanly", i, client.script).isNull();
					assertThat(Arrays.equals(client.received(), client.payload))
						.as("connection %d (%s) got its %d bytes back, got %d", i, client.script,
								client.payload.length, client.received().length)
						.isTrue();
				}
			}
			awaitCondition(() -> server.connectionCount() == 0, () -> "the server's connections to end");
			assertThat(errors).as("errors reported to the loops' exception handlers").isEmpty();
			assertThat(Stream.concat(servers.loops().stream(), clientLoops.loops().stream()))
				.as("every loop still runs").allMatch(EventLoop::isRunning);
			server.close();
			await(server.waitClosed());
		}
		assertThat(clients).extracting((client) -> client.script).contains(Script.values());
	}

	private static long openDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.count();
		}
	}

}
