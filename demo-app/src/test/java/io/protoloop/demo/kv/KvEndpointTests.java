package io.protoloop.demo.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.context.LocalEndpointPort;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.demo.Waits;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WriteBufferLimits;

import static io.protoloop.demo.Waits.onLoop;
import static io.protoloop.demo.kv.RespClient.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The kv endpoint of the demo over real sockets: every command, pipelining, protocol errors, and backpressure
 * against a client that pipelines 100,000 commands before it reads a reply.
 */
@KvSpringBootTest
@Timeout(120)
class KvEndpointTests {

	/** The most one read hands to {@code dataReceived}: the event loop's read buffer. */
	private static final int READ_SIZE = 64 * 1024;

	/** What the backpressure test pipelines: a SET, then GETs of its key. */
	private static final int FLOOD_COMMANDS = 100_000;

	/** GETs after each SET: a GET's reply is far larger than the GET, so each read makes many replies. */
	private static final int GETS_PER_SET = 9;

	/** The size of each value the backpressure test sets and gets, so the replies far outgrow the socket buffers. */
	private static final int FLOOD_VALUE_SIZE = 512;

	/** How long the server must stay paused, sample after sample, before the client starts reading. */
	private static final Duration STEADILY_PAUSED = Duration.ofMillis(200);

	/** Bound on every wait for the server to reach a state, and on every read. */
	private static final Duration WAIT = Waits.WAIT;

	private static final ExecutorService writers = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "kv-test-writer");
		thread.setDaemon(true);
		return thread;
	});

	@LocalEndpointPort("kv")
	int port;

	@Autowired
	ProtocolEndpoints endpoints;

	@Autowired
	Environment environment;

	@AfterAll
	static void stopWriters() {
		writers.shutdownNow();
	}

	@Test
	void theEndpointRunsOverTcpWithTheWriteBufferOfApplicationYml() {
		assertThat(this.endpoints.get("kv").kind()).isEqualTo(EndpointKind.TCP);
		assertThat(this.endpoints.get("kv").definition().transportSettings().idleTimeout())
			.isEqualTo(Duration.ofMinutes(10));
		assertThat(this.endpoints.get("kv").definition().transportSettings().writeBufferLimits())
			.isEqualTo(new WriteBufferLimits(64 * 1024, 16 * 1024));
		assertThat(this.port).isPositive().isNotEqualTo(6380);
	}

	@Test
	void everyEndpointListensOnTheLoopbackInterfaceOnlyAsApplicationYmlSays() {
		for (RunningEndpoint endpoint : this.endpoints.running()) {
			assertThat(endpoint.addresses()).as(endpoint.name()).isNotEmpty().allSatisfy((address) -> assertThat(
					((InetSocketAddress) address).getAddress().isLoopbackAddress()).as("%s", address).isTrue());
		}
		assertThat(this.environment.getProperty("server.address")).isEqualTo("127.0.0.1");
	}

	@Test
	void everyCommandAnswersAsRedisDoes() throws IOException {
		try (RespClient client = connect()) {
			assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
			assertThat(client.call("PING", "hi")).isEqualTo("$2\r\nhi\r\n");
			assertThat(client.call("ECHO", "hello world")).isEqualTo("$11\r\nhello world\r\n");
			assertThat(client.call("FLUSHDB")).isEqualTo("+OK\r\n");
			assertThat(client.call("SET", "every:greeting", "hello")).isEqualTo("+OK\r\n");
			assertThat(client.call("GET", "every:greeting")).isEqualTo("$5\r\nhello\r\n");
			assertThat(client.call("GET", "every:nothing")).isEqualTo("$-1\r\n");
			assertThat(client.call("INCR", "every:counter")).isEqualTo(":1\r\n");
			assertThat(client.call("INCR", "every:greeting"))
				.isEqualTo("-ERR value is not an integer or out of range\r\n");
			assertThat(client.call("MSET", "every:a", "1", "every:b", "2")).isEqualTo("+OK\r\n");
			assertThat(client.call("MGET", "every:a", "every:nothing", "every:b"))
				.isEqualTo("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n");
			assertThat(client.call("EXISTS", "every:a", "every:nothing", "every:b")).isEqualTo(":2\r\n");
			assertThat(client.call("DBSIZE")).isEqualTo(":4\r\n");
			assertThat(client.call("DEL", "every:a", "every:b", "every:nothing")).isEqualTo(":2\r\n");
			assertThat(client.call("DBSIZE")).isEqualTo(":2\r\n");
			assertThat(client.call("FLUSHDB")).isEqualTo("+OK\r\n");
			assertThat(client.call("DBSIZE")).isEqualTo(":0\r\n");
			assertThat(client.call("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
			assertThat(client.call("FOO", "bar")).isEqualTo("-ERR unknown command 'FOO'\r\n");
			assertThat(client.call("QUIT")).isEqualTo("+OK\r\n");
			assertThat(client.atEof()).isTrue();
		}
	}

	@Test
	void inlineCommandsWorkAsTypedIntoTelnet() throws IOException {
		try (RespClient client = connect()) {
			client.send("SET inline:key hello\r\nGET inline:key\r\nping\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(client.readReply()).isEqualTo("+OK\r\n");
			assertThat(client.readReply()).isEqualTo("$5\r\nhello\r\n");
			assertThat(client.readReply()).isEqualTo("+PONG\r\n");
		}
	}

	@Test
	void valuesAreBinarySafe() throws IOException {
		byte[] value = new byte[256];
		for (int i = 0; i < value.length; i++) {
			value[i] = (byte) i;
		}
		byte[] key = "binary:\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
		try (RespClient client = connect()) {
			client.send(command("SET".getBytes(StandardCharsets.US_ASCII), key, value));
			assertThat(client.readReply()).isEqualTo("+OK\r\n");
			client.send(command("GET".getBytes(StandardCharsets.US_ASCII), key));
			assertThat(client.readReply()).isEqualTo("$256\r\n" + RespClient.raw(value) + "\r\n");
		}
	}

	@Test
	void connectionsShareTheStore() throws IOException {
		try (RespClient first = connect(); RespClient second = connect()) {
			assertThat(first.call("SET", "shared:key", "from the first")).isEqualTo("+OK\r\n");
			assertThat(second.call("GET", "shared:key")).isEqualTo("$14\r\nfrom the first\r\n");
		}
	}

	@Test
	void pipelinedCommandsAreAnsweredInOrder() throws IOException {
		int commands = 10_000;
		try (RespClient client = connect()) {
			client.call("DEL", "pipelined:counter");
			for (int i = 0; i < commands; i++) {
				client.write(command("INCR", "pipelined:counter"));
			}
			client.flush();
			for (int i = 1; i <= commands; i++) {
				assertThat(client.readReply()).isEqualTo(":" + i + "\r\n");
			}
		}
	}

	@Test
	void malformedInputGetsAProtocolErrorThenTheServerCloses() throws IOException {
		String[][] cases = { { "*1\r\n+PING\r\n", "expected '$', got '+'" },
				{ "*-5\r\n", "invalid multibulk length" }, { "*1\r\n$99999999999\r\n", "invalid bulk length" },
				{ "*1\r\n$4\r\nPINGPONG\r\n", "expected CRLF after bulk string of 4 bytes" },
				{ "x".repeat(RespParser.Limits.DEFAULT.maxInlineLength() + 1), "too big inline request" } };
		for (String[] malformed : cases) {
			try (RespClient client = connect()) {
				client.send(malformed[0].getBytes(StandardCharsets.US_ASCII));
				assertThat(client.readReply()).isEqualTo("-ERR Protocol error: " + malformed[1] + "\r\n");
				assertThat(client.atEof()).as("closed after: %s", malformed[1]).isTrue();
			}
		}
		try (RespClient client = connect()) {
			assertThat(client.call("PING")).as("the server goes on").isEqualTo("+PONG\r\n");
		}
	}

	@Test
	void aClientThatPipelinesWithoutReadingGetsEveryReplyOnceItReadsAndTheServerStaysBounded() throws Exception {
		try (RespClient client = connect()) {
			Transport server = serverSideOf(client);
			RespProtocol protocol = (RespProtocol) onLoop(server, server::getProtocol);
			WriteBufferLimits limits = onLoop(server, server::getWriteBufferLimits);
			long bound = (long) limits.high() + RespWriter.CAPACITY + floodReply(1).length();
			int inputBound = READ_SIZE + floodCommand(0).length;
			EndpointStatistics statistics = this.endpoints.statistics("kv");
			long writePausesBefore = statistics.writePauses();
			long readPausesBefore = statistics.readPauses();
			long readResumesBefore = statistics.readResumes();
			CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> flood(client), writers);

			// The client does not read: the server must stop reading, with its buffers bounded on every sample.
			long deadline = System.nanoTime() + WAIT.toNanos();
			long pausedSince = 0;
			int samples = 0;
			long maxBuffered = 0;
			while (true) {
				ServerSide sample = onLoop(server, () -> new ServerSide(server.isReading(),
						server.getWriteBufferSize(), protocol.bufferedInput()));
				samples++;
				maxBuffered = Math.max(maxBuffered, sample.buffered());
				assertThat(sample.buffered()).as("server write buffer (high %d, low %d)", limits.high(), limits.low())
					.isLessThanOrEqualTo(bound);
				assertThat(sample.input()).as("input held by the protocol").isLessThanOrEqualTo(inputBound);
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
			assertThat(statistics.writePauses()).as("write pauses").isGreaterThan(writePausesBefore);
			assertThat(statistics.readPauses()).as("read pauses").isGreaterThan(readPausesBefore);

			// Now the client reads: every reply arrives, in order, and the server reads again.
			for (int i = 0; i < FLOOD_COMMANDS; i++) {
				String reply = client.readReply();
				if (!reply.equals(floodReply(i))) {
					fail("Reply to command %d: %s", i, reply);
				}
			}
			sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
			assertThat(onLoop(server, server::isReading)).isTrue();
			assertThat(statistics.readResumes()).as("read resumes").isGreaterThan(readResumesBefore);
		}
	}

	// ---------------------------------------------------------------- the client side

	private RespClient connect() throws IOException {
		return new RespClient(this.port, WAIT);
	}

	/** Pipelines every command of the flood, without reading. */
	private static void flood(RespClient client) {
		try {
			for (int i = 0; i < FLOOD_COMMANDS; i++) {
				client.write(floodCommand(i));
			}
			client.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writer failed", ex);
		}
	}

	/** Command {@code i} of the flood: SET of a new key, or GET of the key set last. */
	private static byte[] floodCommand(int i) {
		int key = i / (GETS_PER_SET + 1);
		return isSet(i) ? command("SET", "flood:" + key, floodValue(key)) : command("GET", "flood:" + key);
	}

	private static String floodReply(int i) {
		return isSet(i) ? "+OK\r\n"
				: "$" + FLOOD_VALUE_SIZE + "\r\n" + floodValue(i / (GETS_PER_SET + 1)) + "\r\n";
	}

	private static boolean isSet(int i) {
		return i % (GETS_PER_SET + 1) == 0;
	}

	/** A value of {@link #FLOOD_VALUE_SIZE} bytes, its key's number first. */
	private static String floodValue(int key) {
		return String.format("%-" + FLOOD_VALUE_SIZE + "d", key);
	}

	/** Returns the endpoint's listening server. */
	private Server server() {
		return ((RunningEndpoint.Stream) this.endpoints.get("kv")).server();
	}

	/** Returns the server's transport of this client's connection, once the server has accepted it. */
	private Transport serverSideOf(RespClient client) {
		return Waits.serverSideOf(server(), client.localAddress());
	}

	/** One look at the server's side of the connection, taken on its loop. */
	private record ServerSide(boolean reading, long buffered, int input) {
	}

}
