package io.protoloop.demo;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.context.LocalEndpointPort;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WriteBufferLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The demo application over real sockets: TCP and UDP echo on free ports, and the TCP echo's flow control
 * against a client that writes a lot without reading.
 */
@SpringBootTest(properties = { "protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
		"protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.host=127.0.0.1" })
@Timeout(60)
class DemoApplicationTests {

	/** The most one read hands to {@code dataReceived}: the event loop's read buffer. */
	private static final int READ_SIZE = 64 * 1024;

	/** What the flow-control test sends: far more than the write buffer's high watermark. */
	private static final int FLOOD_SIZE = 32 * 1024 * 1024;

	/** How long the server must stay paused, sample after sample, before the client starts reading. */
	private static final Duration STEADILY_PAUSED = Duration.ofMillis(200);

	/** Bound on every wait for the server to reach a state. */
	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final ExecutorService writers = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "demo-test-writer");
		thread.setDaemon(true);
		return thread;
	});

	@LocalEndpointPort("echo")
	int echoPort;

	@LocalEndpointPort("echo-udp")
	int udpEchoPort;

	@Autowired
	ProtocolEndpoints endpoints;

	@AfterAll
	static void stopWriters() {
		writers.shutdownNow();
	}

	@Test
	void bothEndpointsRunWithTheWriteBufferOfApplicationYml() {
		assertThat(this.endpoints.get("echo").kind()).isEqualTo(EndpointKind.TCP);
		assertThat(this.endpoints.get("echo-udp").kind()).isEqualTo(EndpointKind.UDP);
		assertThat(this.endpoints.get("echo").definition().transportSettings().writeBufferLimits())
			.isEqualTo(new WriteBufferLimits(64 * 1024, 16 * 1024));
		assertThat(this.echoPort).isPositive().isNotEqualTo(7007);
		assertThat(this.udpEchoPort).isPositive().isNotEqualTo(7007);
	}

	@Test
	void theTcpEndpointEchoesWhatTheClientSends() throws IOException {
		try (SocketChannel client = connect()) {
			byte[] hello = "hello, protoloop\n".getBytes(StandardCharsets.UTF_8);
			writeFully(client, hello);
			assertThat(readFully(client, hello.length)).isEqualTo(hello);
			byte[] again = "and again".getBytes(StandardCharsets.UTF_8);
			writeFully(client, again);
			assertThat(readFully(client, again.length)).isEqualTo(again);
		}
	}

	@Test
	void theUdpEndpointSendsEachDatagramBackToItsSender() throws IOException {
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		try (DatagramSocket first = new DatagramSocket(0, loopback);
				DatagramSocket second = new DatagramSocket(0, loopback)) {
			first.setSoTimeout(10_000);
			second.setSoTimeout(10_000);
			byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
			byte[] pong = "pong from the second".getBytes(StandardCharsets.UTF_8);
			first.send(new DatagramPacket(ping, ping.length, loopback, this.udpEchoPort));
			second.send(new DatagramPacket(pong, pong.length, loopback, this.udpEchoPort));
			assertThat(receive(first)).isEqualTo("ping");
			assertThat(receive(second)).isEqualTo("pong from the second");
		}
	}

	@Test
	void aClientThatWritesWithoutReadingCannotMakeTheServerBufferWithoutBound() throws Exception {
		try (SocketChannel client = connect()) {
			Transport server = serverSideOf(client);
			WriteBufferLimits limits = onLoop(server, server::getWriteBufferLimits);
			long bound = (long) limits.high() + READ_SIZE;
			CompletableFuture<byte[]> sent = CompletableFuture.supplyAsync(() -> flood(client, FLOOD_SIZE), writers);

			// The client does not read: the server must stop reading, with its buffer bounded on every sample.
			long deadline = System.nanoTime() + WAIT.toNanos();
			long pausedSince = 0;
			int samples = 0;
			long maxBuffered = 0;
			while (true) {
				ServerSide sample = onLoop(server,
						() -> new ServerSide(server.isReading(), server.getWriteBufferSize()));
				samples++;
				maxBuffered = Math.max(maxBuffered, sample.buffered());
				assertThat(sample.buffered()).as("server write buffer (high %d, low %d)", limits.high(), limits.low())
					.isLessThanOrEqualTo(bound);
				if (sample.reading()) {
					assertThat(sample.buffered()).as("buffered while reading").isLessThanOrEqualTo(limits.high());
					pausedSince = 0;
				}
				else {
					assertThat(sample.buffered()).as("buffered while paused").isGreaterThan(limits.low());
					if (pausedSince == 0) {
						pausedSince = System.nanoTime();
					}
					else if (System.nanoTime() - pausedSince >= STEADILY_PAUSED.toNanos()) {
						break;
					}
				}
				if (System.nanoTime() > deadline) {
					fail("The server did not stay paused for %s within %s while the client was not reading "
							+ "(%d samples, last %s, writer done: %s)", STEADILY_PAUSED, WAIT, samples, sample,
							sent.isDone());
				}
			}
			assertThat(maxBuffered).isGreaterThan(limits.high()).isLessThanOrEqualTo(bound);

			// Now the client reads: the server resumes and everything comes back, in order, then EOF.
			Received received = readToEnd(client);
			byte[] sentDigest = sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(received.length()).isEqualTo(FLOOD_SIZE);
			assertThat(received.digest()).isEqualTo(sentDigest);
		}
	}

	@Test
	void onTheClientsEofTheServerFinishesItsWritesAndCloses() throws Exception {
		try (SocketChannel client = connect()) {
			Transport server = serverSideOf(client);
			int size = 4 * 1024 * 1024;
			// Sent then half-closed from another thread, while this one reads: everything comes back, then EOF.
			CompletableFuture<byte[]> sent = CompletableFuture.supplyAsync(() -> flood(client, size), writers);
			Received received = readToEnd(client);
			assertThat(received.length()).isEqualTo(size);
			assertThat(received.digest()).isEqualTo(sent.get(WAIT.toSeconds(), TimeUnit.SECONDS));
			awaitCondition("the server closes its side", () -> !server().transports()
				.contains(server));
		}
	}

	// ---------------------------------------------------------------- the client side

	private SocketChannel connect() throws IOException {
		return SocketChannel.open(new InetSocketAddress("127.0.0.1", this.echoPort));
	}

	/** Returns the endpoint's listening server. */
	private Server server() {
		return ((RunningEndpoint.Stream) this.endpoints.get("echo")).server();
	}

	/** Returns the server's transport of this client's connection, once the server has accepted it. */
	private Transport serverSideOf(SocketChannel client) throws IOException {
		SocketAddress clientAddress = client.getLocalAddress();
		Transport[] found = new Transport[1];
		awaitCondition("the server accepts " + clientAddress, () -> {
			for (Transport transport : server().transports()) {
				if (clientAddress.equals(onLoop(transport, () -> transport.getExtraInfo(ExtraInfo.PEERNAME)))) {
					found[0] = transport;
					return true;
				}
			}
			return false;
		});
		return found[0];
	}

	/**
	 * Writes {@code size} pseudo-random bytes, then shuts the output down (the client's EOF).
	 * @return the SHA-256 of what was written
	 */
	private static byte[] flood(SocketChannel client, int size) {
		try {
			MessageDigest digest = sha256();
			Random random = new Random(size);
			byte[] chunk = new byte[READ_SIZE];
			for (int left = size; left > 0; left -= chunk.length) {
				random.nextBytes(chunk);
				int length = Math.min(left, chunk.length);
				digest.update(chunk, 0, length);
				ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
				while (buffer.hasRemaining()) {
					client.write(buffer);
				}
			}
			client.shutdownOutput();
			return digest.digest();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Writer failed", ex);
		}
	}

	/** Reads until the server closes, digesting what arrives. */
	private static Received readToEnd(SocketChannel client) throws IOException {
		MessageDigest digest = sha256();
		ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);
		long length = 0;
		while (client.read(buffer) != -1) {
			buffer.flip();
			length += buffer.remaining();
			digest.update(buffer);
			buffer.clear();
		}
		return new Received(length, digest.digest());
	}

	private static void writeFully(SocketChannel client, byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		while (buffer.hasRemaining()) {
			client.write(buffer);
		}
	}

	private static byte[] readFully(SocketChannel client, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length);
		while (buffer.hasRemaining()) {
			if (client.read(buffer) == -1) {
				fail("EOF after %d of %d bytes", buffer.position(), length);
			}
		}
		return buffer.array();
	}

	private static String receive(DatagramSocket socket) throws IOException {
		DatagramPacket packet = new DatagramPacket(new byte[1024], 1024);
		socket.receive(packet);
		return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
	}

	// ---------------------------------------------------------------- helpers

	/** Runs {@code task} on the transport's loop, as a transport requires, and waits a bounded time for it. */
	private static <T> T onLoop(Transport transport, Callable<T> task) {
		try {
			return transport.getLoop().submit(task).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not run on " + transport.getLoop(), ex);
		}
	}

	/** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
	private static void awaitCondition(String description, BooleanSupplier condition) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Timed out after %s waiting for %s", WAIT, description);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // poll interval
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One look at the server's side of the connection, taken on its loop. */
	private record ServerSide(boolean reading, long buffered) {
	}

	private record Received(long length, byte[] digest) {
	}

}
