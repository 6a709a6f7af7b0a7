package io.protoloop.demo.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;

import io.protoloop.boot.context.LocalEndpointPort;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.demo.HostileClientsTest;
import io.protoloop.demo.Waits;
import io.protoloop.transport.Transport;
import io.protoloop.transport.WriteBufferLimits;

import static io.protoloop.demo.Waits.onLoop;
import static io.protoloop.demo.kv.RespClient.command;
import static io.protoloop.demo.kv.RespClient.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kv endpoint against clients that try to make the process hold too much, or to do what they should not, over
 * real sockets with the limits of {@link HostileClientsTest}. Each test failed before the limit it tests existed.
 */
@HostileClientsTest
@Timeout(120)
class KvHostileClientTests {

	private static final int MIB = 1024 * 1024;

	private static final ExecutorService writers = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "kv-hostile-writer");
		thread.setDaemon(true);
		return thread;
	});

	@LocalEndpointPort("kv")
	int port;

	@Autowired
	ProtocolEndpoints endpoints;

	@Autowired
	KeyValueStore store;

	@Autowired
	InputBudget inputBudget;

	@Autowired
	KvMetrics metrics;

	@AfterAll
	static void stopWriters() {
		writers.shutdownNow();
	}

	@BeforeEach
	void emptyStore() {
		this.store.clear();
	}

	@Test
	void anMgetOfOneLargeValueManyTimesKeepsTheServersBufferNearTheHighWatermark() throws IOException {
		byte[] value = new byte[MIB];
		Arrays.fill(value, (byte) 'v');
		int copies = 24;
		try (RespClient client = authenticated()) {
			client.send(command("SET".getBytes(StandardCharsets.US_ASCII), bytes("large"), value));
			assertThat(client.readReply()).isEqualTo("+OK\r\n");
			Transport server = Waits.serverSideOf(((RunningEndpoint.Stream) this.endpoints.get("kv")).server(),
					client.localAddress());
			WriteBufferLimits limits = onLoop(server, server::getWriteBufferLimits);
			long bound = limits.high() + 2 * RespWriter.CAPACITY;

			client.send(command(mget("large", copies)));
			// The client does not read: the server pauses with its buffer near the high watermark, not 24 MiB.
			Waits.until("the server paused with the reply half written",
					() -> onLoop(server, () -> !server.isReading() && server.getWriteBufferSize() > limits.high()));
			for (int sample = 0; sample < 100; sample++) {
				assertThat(onLoop(server, server::getWriteBufferSize)).as("buffered, sample %d", sample)
					.isLessThanOrEqualTo(bound);
			}

			String reply = client.readReply();
			String element = "$" + MIB + "\r\n" + raw(value) + "\r\n";
			assertThat(reply).hasSize(("*" + copies + "\r\n").length() + copies * element.length())
				.isEqualTo("*" + copies + "\r\n" + element.repeat(copies));
			assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
		}
	}

	@Test
	void aReplyOverMaxReplySizeIsRefusedWithAnErrorAndTheConnectionGoesOn() throws IOException {
		try (RespClient client = authenticated()) {
			client.send(command("SET".getBytes(StandardCharsets.US_ASCII), bytes("large"), new byte[MIB]));
			assertThat(client.readReply()).isEqualTo("+OK\r\n");
			long before = this.metrics.trips(KvGuard.MAX_REPLY_SIZE);

			assertThat(client.call(mget("large", 1023))).startsWith("-ERR reply of ")
				.endsWith(" bytes is over demo.kv.max-reply-size (33554432 bytes)\r\n");
			assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
			assertThat(this.metrics.trips(KvGuard.MAX_REPLY_SIZE)).isEqualTo(before + 1);
		}
	}

	@Test
	void pastMaxMemoryWritesGetRedisOomErrorAndReadsAndDeletesGoOn() throws IOException {
		long max = this.store.maxMemory();
		try (RespClient client = authenticated()) {
			int set = 0;
			String reply;
			while ((reply = setLarge(client, "big:" + set)).equals("+OK\r\n")) {
				set++;
				assertThat(set).as("SETs of 1 MiB accepted by a %d-byte store", max).isLessThanOrEqualTo(16);
			}
			assertThat(reply).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
			assertThat(set).isEqualTo((int) (max / (MIB + 5 + KeyValueStore.ENTRY_OVERHEAD)));
			assertThat(this.store.usedMemory()).isLessThanOrEqualTo(max);
			assertThat(client.call("EXISTS", "big:0")).isEqualTo(":1\r\n");
			assertThat(client.call("DEL", "big:0")).isEqualTo(":1\r\n");
			assertThat(setLarge(client, "big:again")).isEqualTo("+OK\r\n");
		}
	}

	@Test
	@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void oneHundredThousandKeysWithOneHashAreStoredInTime() throws Exception {
		List<byte[]> keys = StoreKeyTests.collidingKeys(100_000);
		try (RespClient client = authenticated()) {
			CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
				try {
					for (byte[] key : keys) {
						client.write(command(bytes("SET"), key, bytes("1")));
					}
					client.flush();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}, writers);
			// Before keys were ordered, a bin of colliding keys was a list: 100,000 SETs took minutes, past the
			// timeout of this test.
			for (int i = 0; i < keys.size(); i++) {
				assertThat(client.readReply()).as("reply %d", i).isEqualTo("+OK\r\n");
			}
			sent.get(Waits.WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(client.call("DBSIZE")).isEqualTo(":100000\r\n");
		}
	}

	@Test
	void pastMaxInputTotalTheClientsHoldingTheMostPartialInputAreClosed() throws Exception {
		long tripsBefore = this.metrics.trips(KvGuard.MAX_INPUT_TOTAL);
		try (RespClient a = authenticated(); RespClient b = authenticated(); RespClient c = authenticated();
				RespClient d = authenticated()) {
			// Each sends most of an MSET of 64 KiB values and keeps the rest: 1.5, 1, 0.5 and 0.75 MiB held.
			sendPartialMset(a, 24);
			awaitInput("a's 1.5 MiB", 24, tripsBefore);
			sendPartialMset(b, 16);
			awaitInput("b's 1 MiB, past the 2 MB total: a, holding the most, revoked", 16, tripsBefore + 1);
			sendPartialMset(c, 8);
			awaitInput("c's 0.5 MiB", 16 + 8, tripsBefore + 1);
			sendPartialMset(d, 12);
			awaitInput("d's 0.75 MiB, past the total again: b revoked", 8 + 12, tripsBefore + 2);

			for (RespClient closed : List.of(a, b)) {
				assertThat(closed.readReply()).isEqualTo("-ERR input of all clients over demo.kv.max-input-total: "
						+ "closing this client, which held the most\r\n");
				assertThat(closed.atEof()).isTrue();
			}
			for (RespClient served : List.of(c, d)) {
				served.send(lastPair());
				assertThat(served.readReply()).isEqualTo("+OK\r\n");
			}
			Waits.until("the budget to be empty once c and d ran their MSETs", () -> this.inputBudget.total() == 0);
		}
	}

	@Test
	void withAPasswordNoCommandRunsBeforeAuthFlushdbIncluded() throws IOException {
		try (RespClient owner = authenticated(); RespClient stranger = new RespClient(this.port, Waits.WAIT)) {
			assertThat(owner.call("SET", "mine", "1")).isEqualTo("+OK\r\n");
			assertThat(stranger.call("FLUSHDB")).isEqualTo("-NOAUTH Authentication required.\r\n");
			assertThat(stranger.call("GET", "mine")).isEqualTo("-NOAUTH Authentication required.\r\n");
			assertThat(stranger.call("AUTH", "guess")).isEqualTo(
					"-WRONGPASS invalid username-password pair or user is disabled.\r\n");
			assertThat(owner.call("DBSIZE")).isEqualTo(":1\r\n");
		}
	}

	// ---------------------------------------------------------------- helpers

	private RespClient authenticated() throws IOException {
		RespClient client = new RespClient(this.port, Waits.WAIT);
		assertThat(client.call("AUTH", HostileClientsTest.PASSWORD)).isEqualTo("+OK\r\n");
		return client;
	}

	private static String setLarge(RespClient client, String key) throws IOException {
		client.send(command(bytes("SET"), bytes(key), new byte[MIB]));
		return client.readReply();
	}

	/** MGET of {@code key}, {@code times} times. */
	private static String[] mget(String key, int times) {
		String[] command = new String[times + 1];
		Arrays.fill(command, key);
		command[0] = "MGET";
		return command;
	}

	/** The size of each value of the partial MSETs. */
	private static final int PART = 64 * 1024;

	/** Sends an MSET of {@code pairs + 1} pairs of a key and 64 KiB, all but the last pair. */
	private static void sendPartialMset(RespClient client, int pairs) throws IOException {
		client.write(("*" + (1 + 2 * (pairs + 1)) + "\r\n$4\r\nMSET\r\n").getBytes(StandardCharsets.US_ASCII));
		for (int i = 0; i < pairs; i++) {
			client.write(pair("k" + i));
		}
		client.flush();
	}

	private static byte[] lastPair() {
		return pair("last");
	}

	/** A key (4 bytes or fewer) and a 64 KiB value, as two bulk strings. */
	private static byte[] pair(String key) {
		byte[] command = command(bytes(key), new byte[PART]);
		return Arrays.copyOfRange(command, ("*2\r\n").length(), command.length);
	}

	/**
	 * Waits until the budget counts at least {@code parts} values of 64 KiB held (within one read more, of whatever
	 * the parser still buffers) and the guard has tripped {@code trips} times in all.
	 */
	private void awaitInput(String description, int parts, long trips) {
		Waits.until(description, () -> this.inputBudget.total() >= (long) parts * PART
				&& this.metrics.trips(KvGuard.MAX_INPUT_TOTAL) == trips);
		assertThat(this.inputBudget.total()).as(description).isLessThanOrEqualTo(2 * 1024 * 1024);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
