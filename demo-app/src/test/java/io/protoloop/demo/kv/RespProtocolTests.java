package io.protoloop.demo.kv;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.util.unit.DataSize;

import io.protoloop.test.InMemoryTransport;

import static io.protoloop.demo.kv.RespClient.command;
import static io.protoloop.demo.kv.RespClient.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kv protocol over the in-memory transport, where the test plays the client: what each command answers, on
 * the wire, pipelining, QUIT and protocol errors, and the backpressure rule with a client that does not read.
 */
@Timeout(30)
class RespProtocolTests {

	private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

	private static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

	private static final InetSocketAddress LOOPBACK_CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(),
			50000);

	private final KeyValueStore store = new KeyValueStore(KvProperties.DEFAULTS);

	private final InMemoryTransport client = connect(KvProperties.DEFAULTS);

	@Test
	void pingAndEcho() {
		assertThat(call("PING")).isEqualTo("+PONG\r\n");
		assertThat(call("PING", "hello")).isEqualTo("$5\r\nhello\r\n");
		assertThat(call("ECHO", "hello world")).isEqualTo("$11\r\nhello world\r\n");
		assertThat(call("ECHO", "")).isEqualTo("$0\r\n\r\n");
	}

	@Test
	void setGetAndDelete() {
		assertThat(call("GET", "greeting")).isEqualTo("$-1\r\n");
		assertThat(call("SET", "greeting", "hello")).isEqualTo("+OK\r\n");
		assertThat(call("GET", "greeting")).isEqualTo("$5\r\nhello\r\n");
		assertThat(call("SET", "greeting", "hi")).isEqualTo("+OK\r\n");
		assertThat(call("GET", "greeting")).isEqualTo("$2\r\nhi\r\n");
		assertThat(call("EXISTS", "greeting", "nothing", "greeting")).isEqualTo(":2\r\n");
		assertThat(call("DEL", "greeting", "nothing")).isEqualTo(":1\r\n");
		assertThat(call("DEL", "greeting")).isEqualTo(":0\r\n");
		assertThat(call("EXISTS", "greeting")).isEqualTo(":0\r\n");
	}

	@Test
	void incrCountsFromZeroAndRefusesWhatIsNotAnInteger() {
		assertThat(call("INCR", "counter")).isEqualTo(":1\r\n");
		assertThat(call("INCR", "counter")).isEqualTo(":2\r\n");
		assertThat(call("GET", "counter")).isEqualTo("$1\r\n2\r\n");
		call("SET", "negative", "-10");
		assertThat(call("INCR", "negative")).isEqualTo(":-9\r\n");
		for (String notAnInteger : new String[] { "abc", "", " 1", "1 ", "+1", "01", "-0", "1.5",
				"9223372036854775808" }) {
			call("SET", "text", notAnInteger);
			assertThat(call("INCR", "text")).as(notAnInteger)
				.isEqualTo("-ERR value is not an integer or out of range\r\n");
			assertThat(call("GET", "text")).as("unchanged").isEqualTo("$%d\r\n%s\r\n", notAnInteger.length(),
					notAnInteger);
		}
		call("SET", "largest", Long.toString(Long.MAX_VALUE));
		assertThat(call("INCR", "largest")).isEqualTo("-ERR increment or decrement would overflow\r\n");
		call("SET", "smallest", Long.toString(Long.MIN_VALUE));
		assertThat(call("INCR", "smallest")).isEqualTo(":" + (Long.MIN_VALUE + 1) + "\r\n");
	}

	@Test
	void msetAndMget() {
		assertThat(call("MSET", "a", "1", "b", "2")).isEqualTo("+OK\r\n");
		assertThat(call("MGET", "a", "nothing", "b")).isEqualTo("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n");
		assertThat(call("MGET", "nothing")).isEqualTo("*1\r\n$-1\r\n");
	}

	@Test
	void lpushLpopAndLlen() {
		assertThat(call("LPUSH", "list", "a", "b")).isEqualTo(":2\r\n");
		assertThat(call("LPUSH", "list", "c")).isEqualTo(":3\r\n");
		assertThat(call("LLEN", "list")).isEqualTo(":3\r\n");
		assertThat(call("LPOP", "list")).isEqualTo("$1\r\nc\r\n");
		assertThat(call("GET", "list"))
			.isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
		assertThat(call("MGET", "list")).isEqualTo("*1\r\n$-1\r\n");
		call("SET", "string", "x");
		assertThat(call("LPUSH", "string", "a"))
			.isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
		assertThat(call("LPOP", "nothing")).isEqualTo("$-1\r\n");
		assertThat(call("LLEN", "nothing")).isEqualTo(":0\r\n");
	}

	@Test
	void dbsizeAndFlushdb() {
		assertThat(call("DBSIZE")).isEqualTo(":0\r\n");
		call("MSET", "a", "1", "b", "2", "a", "3");
		assertThat(call("DBSIZE")).isEqualTo(":2\r\n");
		assertThat(call("FLUSHDB")).isEqualTo("+OK\r\n");
		assertThat(call("DBSIZE")).isEqualTo(":0\r\n");
		assertThat(call("GET", "a")).isEqualTo("$-1\r\n");
	}

	@Test
	void configGetAnswersWhatRedisBenchmarkAsks() {
		assertThat(call("CONFIG", "GET", "save")).isEqualTo("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
		assertThat(call("config", "get", "APPENDONLY")).isEqualTo("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
		assertThat(call("CONFIG", "GET", "maxmemory")).isEqualTo("*0\r\n");
		assertThat(call("CONFIG", "SET", "save", "")).isEqualTo("-ERR unknown subcommand 'SET'. Try CONFIG GET.\r\n");
		assertThat(call("CONFIG", "GET")).isEqualTo("-ERR wrong number of arguments for 'config' command\r\n");
	}

	@Test
	void commandNamesAreCaseInsensitive() {
		assertThat(call("set", "key", "value")).isEqualTo("+OK\r\n");
		assertThat(call("gEt", "key")).isEqualTo("$5\r\nvalue\r\n");
	}

	@Test
	void anUnknownCommandIsAnErrorAndTheConnectionGoesOn() {
		assertThat(call("FOO", "bar")).isEqualTo("-ERR unknown command 'FOO'\r\n");
		assertThat(call("foo\r\nbar" + "x".repeat(200))).as("quoted safely, at most 128 chars")
			.isEqualTo("-ERR unknown command 'foo  bar" + "x".repeat(120) + "'\r\n");
		assertThat(call("PING")).isEqualTo("+PONG\r\n");
		assertThat(this.client.isClosing()).isFalse();
	}

	@Test
	void aWrongNumberOfArgumentsIsAnErrorInRedisWording() {
		String[][] wrong = { { "PING", "a", "b" }, { "ECHO" }, { "SET", "key" }, { "GET" }, { "GET", "a", "b" },
				{ "DEL" }, { "EXISTS" }, { "INCR" }, { "MGET" }, { "MSET" }, { "MSET", "a" }, { "MSET", "a", "1", "b" },
				{ "DBSIZE", "x" }, { "FLUSHDB", "ASYNC" }, { "CONFIG" }, { "LPUSH", "list" }, { "LPOP" },
				{ "LLEN" } };
		for (String[] command : wrong) {
			assertThat(call(command)).isEqualTo("-ERR wrong number of arguments for '%s' command\r\n",
					command[0].toLowerCase(Locale.ROOT));
		}
		assertThat(call("SET", "key", "value", "EX", "10")).isEqualTo("-ERR syntax error\r\n");
		assertThat(call("EXISTS", "key")).as("no SET ran").isEqualTo(":0\r\n");
	}

	@Test
	void valuesAreBinarySafe() throws Exception {
		byte[] key = { 'k', '\r', '\n', 0 };
		byte[] value = new byte[256];
		for (int i = 0; i < value.length; i++) {
			value[i] = (byte) i;
		}
		this.client.receive(command("SET".getBytes(StandardCharsets.US_ASCII), key, value));
		this.client.receive(command("GET".getBytes(StandardCharsets.US_ASCII), key));
		assertThat(this.client.peerReadsAll()).isEqualTo(concat("+OK\r\n$256\r\n".getBytes(StandardCharsets.US_ASCII),
				value, "\r\n".getBytes(StandardCharsets.US_ASCII)));
		assertThat(this.store.get(key)).isEqualTo(value);
	}

	@Test
	void aValueLargerThanTheReplyBufferComesBackWhole() throws Exception {
		byte[] value = new byte[3 * RespWriter.CAPACITY + 1];
		value[value.length - 1] = 'z';
		this.store.set("large".getBytes(StandardCharsets.US_ASCII), value);
		this.client.receive(concat(command("PING"), command("GET", "large"), command("PING")));
		assertThat(raw(this.client.peerReadsAll()))
			.isEqualTo("+PONG\r\n$" + value.length + "\r\n" + raw(value) + "\r\n+PONG\r\n");
	}

	@Test
	void pipelinedCommandsAreAnsweredInOrderHoweverTheyAreSplit() {
		byte[] pipeline = concat(command("SET", "k", "v"), "GET k\r\n".getBytes(StandardCharsets.US_ASCII),
				command("INCR", "n"), command("MGET", "k", "n"), "PING\n".getBytes(StandardCharsets.US_ASCII));
		String replies = "+OK\r\n$1\r\nv\r\n:1\r\n*2\r\n$1\r\nv\r\n$1\r\n1\r\n+PONG\r\n";
		this.client.receive(pipeline);
		assertThat(raw(this.client.peerReadsAll())).isEqualTo(replies);

		this.store.clear();
		for (byte b : pipeline) {
			this.client.receive(new byte[] { b });
		}
		assertThat(raw(this.client.peerReadsAll())).as("one byte at a time").isEqualTo(replies);
	}

	@Test
	void quitAnswersOkThenClosesWithoutRunningWhatFollows() {
		this.client.receive(concat(command("SET", "a", "1"), command("QUIT"), command("SET", "b", "2")));
		assertThat(raw(this.client.peerReadsAll())).isEqualTo("+OK\r\n+OK\r\n");
		assertThat(this.client.isClosing()).isTrue();
		assertThat(this.client.events()).endsWith("connectionLost");
		assertThat(this.store.exists("b".getBytes(StandardCharsets.US_ASCII))).isFalse();
	}

	@Test
	void aProtocolErrorIsAnsweredThenTheConnectionCloses() {
		this.client.receive(concat(command("SET", "a", "1"), "*1\r\n$x\r\n".getBytes(StandardCharsets.US_ASCII),
				command("SET", "b", "2")));
		assertThat(raw(this.client.peerReadsAll())).isEqualTo("+OK\r\n-ERR Protocol error: invalid bulk length\r\n");
		assertThat(this.client.isClosing()).isTrue();
		assertThat(this.client.events()).endsWith("connectionLost");
		assertThat(this.store.exists("b".getBytes(StandardCharsets.US_ASCII))).isFalse();
	}

	@Test
	void onTheClientsEofTheRepliesAreSentAndAnIncompleteCommandIsDropped() {
		this.client.receive(concat(command("SET", "a", "1"), "*2\r\n$3\r\nGET".getBytes(StandardCharsets.US_ASCII)));
		this.client.receiveEof();
		assertThat(this.client.isClosing()).isTrue();
		assertThat(raw(this.client.peerReadsAll())).isEqualTo("+OK\r\n");
		assertThat(this.client.events()).endsWith("eofReceived", "connectionLost");
	}

	@Test
	void connectionsShareTheStore() {
		InMemoryTransport other = connect(KvProperties.DEFAULTS);
		call("SET", "shared", "yes");
		other.receive(command("GET", "shared"));
		assertThat(raw(other.peerReadsAll())).isEqualTo("$3\r\nyes\r\n");
	}

	@Test
	void pauseWritingPausesReadingAndResumeWritingResumesIt() {
		RespProtocol protocol = (RespProtocol) this.client.getProtocol();
		protocol.pauseWriting();
		assertThat(this.client.isReading()).isFalse();
		protocol.resumeWriting();
		assertThat(this.client.isReading()).isTrue();
	}

	@Test
	void aClientThatDoesNotReadStopsTheServerRunningItsCommandsUntilItReads() throws Exception {
		int high = 1024;
		int low = 256;
		this.client.setWriteBufferLimits(high, low);
		byte[] value = "v".repeat(100).getBytes(StandardCharsets.US_ASCII);
		this.store.set("key".getBytes(StandardCharsets.US_ASCII), value);
		String reply = "$100\r\n" + raw(value) + "\r\n";
		int commands = 10_000;
		ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
		for (int i = 0; i < commands; i++) {
			pipeline.writeBytes(command("GET", "key"));
		}
		byte[] sent = pipeline.toByteArray();
		this.client.receive(sent);

		// Over the high watermark: paused, with a bounded buffer, and most commands not run yet.
		assertThat(this.client.events()).containsSubsequence("dataReceived", "pauseWriting");
		assertThat(this.client.isReading()).isFalse();
		long bound = high + RespWriter.CAPACITY + reply.length();
		assertThat(this.client.getWriteBufferSize()).isGreaterThan(high).isLessThanOrEqualTo(bound);
		assertThat(this.client.written().length).isLessThan(commands * reply.length() / 10);
		// Input sent meanwhile is held by the paused transport, and answered in turn.
		this.client.receive(command("ECHO", "last"));
		assertThat(this.client.events()).endsWith("pauseWriting");

		// The client reads a little at a time: each drain to the low watermark runs more commands, until paused again.
		StringBuilder received = new StringBuilder();
		while (this.client.getWriteBufferSize() > 0) {
			received.append(raw(this.client.peerReads(512)));
			assertThat(this.client.getWriteBufferSize()).isLessThanOrEqualTo(bound);
		}
		assertThat(received.toString()).isEqualTo(reply.repeat(commands) + "$4\r\nlast\r\n");
		assertThat(this.client.events().stream().filter("pauseWriting"::equals).count())
			.as("pauses: about one per reply buffer of %d bytes", RespWriter.CAPACITY)
			.isGreaterThan(50);
		assertThat(this.client.isReading()).isTrue();
		assertThat(this.client.events()).endsWith("resumeWriting", "dataReceived");
	}

	@Test
	void aLargeReplyIsWrittenAsTheClientReadsNotAllAtOnce() throws Exception {
		int high = 64 * 1024;
		this.client.setWriteBufferLimits(high, high / 4);
		byte[] value = new byte[1024 * 1024];
		value[value.length - 1] = 'z';
		this.store.set(bytes("large"), value);
		String[] mget = new String[31];
		Arrays.fill(mget, "large");
		mget[0] = "MGET";
		this.client.receive(concat(command(mget), command("PING")));

		long bound = high + 2 * RespWriter.CAPACITY;
		assertThat(this.client.isReading()).isFalse();
		assertThat(this.client.getWriteBufferSize()).isGreaterThan(high).isLessThanOrEqualTo(bound);
		StringBuilder expected = new StringBuilder("*30\r\n");
		for (int i = 0; i < 30; i++) {
			expected.append("$").append(value.length).append("\r\n").append(raw(value)).append("\r\n");
		}
		expected.append("+PONG\r\n");
		StringBuilder received = new StringBuilder();
		while (this.client.getWriteBufferSize() > 0) {
			received.append(raw(this.client.peerReads(256 * 1024)));
			assertThat(this.client.getWriteBufferSize()).isLessThanOrEqualTo(bound);
		}
		assertThat(received.toString()).isEqualTo(expected.toString());
		assertThat(this.client.isReading()).isTrue();
	}

	@Test
	void aReplyOverMaxReplySizeIsRefusedAndTheConnectionGoesOn() throws Exception {
		this.store.set(bytes("large"), new byte[1024 * 1024]);
		String[] mget = new String[1024];
		Arrays.fill(mget, "large");
		mget[0] = "MGET";
		long size = RespWriter.headerSize(1023) + 1023 * RespWriter.bulkStringSize(new byte[1024 * 1024]);
		assertThat(call(mget)).isEqualTo("-ERR reply of " + size + " bytes is over demo.kv.max-reply-size ("
				+ KvProperties.DEFAULTS.maxReplySize().toBytes() + " bytes)\r\n");
		assertThat(call("PING")).isEqualTo("+PONG\r\n");
	}

	@Test
	void aWriteOverMaxMemoryGetsRedisOomError() {
		KvProperties small = new KvProperties(DataSize.ofBytes(2000), EvictionPolicy.NOEVICTION,
				DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), null, true);
		InMemoryTransport full = connect(new KeyValueStore(small), small);
		full.receive(concat(command("SET", "a", "x".repeat(1500)), command("SET", "b", "x".repeat(1500)),
				command("MSET", "c", "1", "d", "x".repeat(1800)), command("INCR", "a"), command("DBSIZE")));
		assertThat(raw(full.peerReadsAll())).isEqualTo("+OK\r\n" + OOM + OOM
				+ "-ERR value is not an integer or out of range\r\n:1\r\n");
	}

	@Test
	void withAPasswordEveryCommandButAuthAndQuitWaitsForAuth() {
		InMemoryTransport guarded = connect(this.store, KvProperties.DEFAULTS.withPassword("secret"));
		guarded.receive(concat(command("SET", "a", "1"), command("FLUSHDB"), command("AUTH", "wrong"),
				command("AUTH", "someone", "secret"), command("AUTH", "secret"), command("SET", "a", "1"),
				command("AUTH", "default", "secret")));
		assertThat(raw(guarded.peerReadsAll())).isEqualTo("-NOAUTH Authentication required.\r\n"
				+ "-NOAUTH Authentication required.\r\n" + WRONGPASS + WRONGPASS + "+OK\r\n+OK\r\n+OK\r\n");
		assertThat(call("AUTH", "secret")).as("no password configured")
			.isEqualTo("-ERR AUTH <password> called without any password configured for the default user. "
					+ "Are you sure your configuration is correct?\r\n");
	}

	@Test
	void protectedModeRefusesAClientBeyondTheLoopbackUnlessAPasswordIsSet() {
		InetSocketAddress remote = new InetSocketAddress("203.0.113.7", 50000);
		InMemoryTransport refused = InMemoryTransport.connect(protocol(this.store, KvProperties.DEFAULTS), null,
				remote);
		assertThat(raw(refused.peerReadsAll())).startsWith("-DENIED Running in protected mode").endsWith("\r\n");
		assertThat(refused.isClosing()).isTrue();
		refused.receive(command("FLUSHDB"));

		KvProperties open = new KvProperties(DataSize.ofMegabytes(1), EvictionPolicy.NOEVICTION,
				DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), null, false);
		InMemoryTransport unprotected = InMemoryTransport.connect(protocol(this.store, open), null, remote);
		unprotected.receive(command("PING"));
		assertThat(raw(unprotected.peerReadsAll())).isEqualTo("+PONG\r\n");
		InMemoryTransport withPassword = InMemoryTransport.connect(
				protocol(this.store, KvProperties.DEFAULTS.withPassword("secret")), null, remote);
		withPassword.receive(command("PING"));
		assertThat(raw(withPassword.peerReadsAll())).isEqualTo("-NOAUTH Authentication required.\r\n");
		InMemoryTransport ipv6Loopback = InMemoryTransport.connect(protocol(this.store, KvProperties.DEFAULTS), null,
				new InetSocketAddress("::1", 50000));
		ipv6Loopback.receive(command("PING"));
		assertThat(raw(ipv6Loopback.peerReadsAll())).isEqualTo("+PONG\r\n");
	}

	@Test
	void aConnectionWhoseRepliesPassMaxOutputBufferIsAborted() throws Exception {
		KvProperties capped = new KvProperties(DataSize.ofMegabytes(64), EvictionPolicy.NOEVICTION,
				DataSize.ofMegabytes(32), DataSize.ofKilobytes(256), DataSize.ofMegabytes(64), null, true);
		KvMetrics metrics = new KvMetrics(this.store);
		InMemoryTransport client = InMemoryTransport.connect(new RespProtocol(this.store, new ClientAccess(capped),
				new InputBudget(capped), metrics, capped), null, LOOPBACK_CLIENT);
		client.setWriteBufferLimits(1024 * 1024, 256 * 1024);
		this.store.set(bytes("large"), new byte[100 * 1024]);
		client.receive(command("MGET", "large", "large", "large", "large"));
		assertThat(client.isClosing()).isTrue();
		assertThat(client.getWriteBufferSize()).isZero();
		assertThat(metrics.trips(KvGuard.MAX_OUTPUT_BUFFER)).isOne();
	}

	@Test
	void repliesLeftUnflushedByAConnectionWhoseCallbackThrewAreDroppedNotSentToAnother() {
		KeyValueStore broken = new KeyValueStore(KvProperties.DEFAULTS) {

			@Override
			public synchronized byte[] get(byte[] key) {
				throw new IllegalStateException("a bug in the store");
			}

		};
		InMemoryTransport failing = connect(broken, KvProperties.DEFAULTS);
		assertThatThrownBy(() -> failing.receive(concat(command("PING"), command("GET", "key"))))
			.as("dataReceived threw: the connection is aborted");
		assertThat(failing.isClosing()).isTrue();
		assertThat(call("PING")).as("not the other connection's PONG as well").isEqualTo("+PONG\r\n");
	}

	/** Connects a client from the loopback interface to a protocol over this test's store. */
	private InMemoryTransport connect(KvProperties properties) {
		return connect(this.store, properties);
	}

	private static InMemoryTransport connect(KeyValueStore store, KvProperties properties) {
		return InMemoryTransport.connect(protocol(store, properties), null, LOOPBACK_CLIENT);
	}

	private static RespProtocol protocol(KeyValueStore store, KvProperties properties) {
		return new RespProtocol(store, new ClientAccess(properties), new InputBudget(properties),
				new KvMetrics(store), properties);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** Sends one command and returns everything written since, as raw text. */
	private String call(String... args) {
		this.client.receive(command(args));
		return raw(this.client.peerReadsAll());
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			bytes.writeBytes(part);
		}
		return bytes.toByteArray();
	}

}
