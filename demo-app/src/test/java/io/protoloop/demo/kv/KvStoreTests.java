package io.protoloop.demo.kv;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The key-value store alone: keys compared by content, Redis's integers, INCR atomic across threads, and
 * {@code max-memory} under each eviction policy.
 */
@Timeout(30)
class KvStoreTests {

	private final KeyValueStore store = new KeyValueStore(KvProperties.DEFAULTS);

	@Test
	void keysAreComparedByContentNotByArray() throws Exception {
		this.store.set(bytes("key"), bytes("value"));
		assertThat(this.store.get(bytes("key"))).isEqualTo(bytes("value"));
		assertThat(this.store.exists(bytes("key"))).isTrue();
		assertThat(this.store.size()).isOne();
		assertThat(this.store.delete(bytes("key"))).isTrue();
		assertThat(this.store.delete(bytes("key"))).isFalse();
		assertThat(this.store.get(bytes("key"))).isNull();
	}

	@Test
	void incrementAcceptsOnlyCanonicalIntegersAndLeavesOthersUnchanged() throws Exception {
		this.store.set(bytes("n"), bytes("-1"));
		assertThat(this.store.increment(bytes("n"))).isZero();
		assertThat(this.store.increment(bytes("n"))).isOne();
		assertThat(this.store.get(bytes("n"))).isEqualTo(bytes("1"));
		for (String invalid : new String[] { "", "-", "+1", "01", "-0", "1e3", "١", "99999999999999999999" }) {
			this.store.set(bytes("n"), bytes(invalid));
			assertThatExceptionOfType(NumberFormatException.class).as(invalid)
				.isThrownBy(() -> this.store.increment(bytes("n")));
			assertThat(this.store.get(bytes("n"))).isEqualTo(bytes(invalid));
		}
		this.store.set(bytes("n"), bytes(Long.toString(Long.MAX_VALUE)));
		assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> this.store.increment(bytes("n")));
	}

	@Test
	void concurrentIncrementsAreNeverLost() throws Exception {
		int threads = 4;
		int each = 20_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CompletableFuture<?>[] running = new CompletableFuture<?>[threads];
			for (int t = 0; t < threads; t++) {
				running[t] = CompletableFuture.runAsync(() -> {
					for (int i = 0; i < each; i++) {
						increment("counter");
					}
				}, executor);
			}
			CompletableFuture.allOf(running).get(20, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.store.get(bytes("counter"))).isEqualTo(bytes(Integer.toString(threads * each)));
	}

	@Test
	void withNoEvictionAWriteOverMaxMemoryIsRefusedAndChangesNothing() throws Exception {
		KeyValueStore small = new KeyValueStore(1000, EvictionPolicy.NOEVICTION);
		small.set(bytes("a"), new byte[500]);
		assertThat(small.usedMemory()).isEqualTo(1 + 500 + KeyValueStore.ENTRY_OVERHEAD);
		assertThatExceptionOfType(StoreFullException.class).isThrownBy(() -> small.set(bytes("b"), new byte[500]))
			.withMessage("OOM command not allowed when used memory > 'maxmemory'.");
		assertThatExceptionOfType(StoreFullException.class)
			.isThrownBy(() -> small.setAll(List.of(bytes("c"), new byte[10], bytes("d"), new byte[400])));
		assertThat(small.exists(bytes("c"))).as("MSET is all or nothing").isFalse();
		assertThat(small.size()).isOne();
		assertThat(small.usedMemory()).isEqualTo(1 + 500 + KeyValueStore.ENTRY_OVERHEAD);
		small.set(bytes("a"), new byte[800]);
		assertThat(small.usedMemory()).as("a replaced value is charged once")
			.isEqualTo(1 + 800 + KeyValueStore.ENTRY_OVERHEAD);
		assertThat(small.delete(bytes("a"))).isTrue();
		assertThat(small.usedMemory()).isZero();
		assertThat(small.evictions()).isZero();
	}

	@Test
	void withAllKeysLruTheLeastRecentlyUsedKeysMakeRoom() throws Exception {
		long entry = 1 + 100 + KeyValueStore.ENTRY_OVERHEAD;
		KeyValueStore lru = new KeyValueStore(3 * entry, EvictionPolicy.ALLKEYS_LRU);
		lru.set(bytes("a"), new byte[100]);
		lru.set(bytes("b"), new byte[100]);
		lru.set(bytes("c"), new byte[100]);
		lru.get(bytes("a"));
		lru.set(bytes("d"), new byte[100]);
		assertThat(lru.exists(bytes("b"))).as("b was used least recently").isFalse();
		assertThat(lru.getAll(List.of(bytes("a"), bytes("c"), bytes("d")))).doesNotContainNull();
		assertThat(lru.evictions()).isOne();
		assertThat(lru.usedMemory()).isEqualTo(3 * entry);
		lru.set(bytes("e"), new byte[100 + (int) entry]);
		assertThat(lru.size()).as("as many evicted as it takes").isEqualTo(2);
		assertThat(lru.usedMemory()).isLessThanOrEqualTo(lru.maxMemory());
		assertThatExceptionOfType(StoreFullException.class).as("larger than the whole store")
			.isThrownBy(() -> lru.set(bytes("f"), new byte[(int) (3 * entry)]));
		assertThat(lru.size()).as("nothing evicted for a write that cannot fit").isEqualTo(2);
	}

	@Test
	void usedMemoryIsAlwaysTheSumOfWhatTheEntriesAreCharged() throws Exception {
		KeyValueStore lru = new KeyValueStore(10_000, EvictionPolicy.ALLKEYS_LRU);
		Random random = new Random(42);
		for (int i = 0; i < 5_000; i++) {
			byte[] key = bytes("k" + random.nextInt(50));
			switch (random.nextInt(4)) {
				case 0 -> lru.delete(key);
				case 1 -> lru.setAll(
						List.of(key, new byte[random.nextInt(300)], bytes("m"), new byte[random.nextInt(30)]));
				default -> lru.set(key, new byte[random.nextInt(1000)]);
			}
			long charged = 0;
			for (int k = 0; k < 50; k++) {
				byte[] value = lru.get(bytes("k" + k));
				charged += (value != null) ? ("k" + k).length() + value.length + KeyValueStore.ENTRY_OVERHEAD : 0;
			}
			byte[] m = lru.get(bytes("m"));
			charged += (m != null) ? 1 + m.length + KeyValueStore.ENTRY_OVERHEAD : 0;
			assertThat(lru.usedMemory()).as("after operation %d", i).isEqualTo(charged).isLessThanOrEqualTo(10_000);
		}
		assertThat(lru.evictions()).isPositive();
	}

	@Test
	void listsGrowAtTheHeadAreChargedPerElementAndGoWithTheirLastElement() throws Exception {
		assertThat(this.store.push(bytes("list"), List.of(bytes("a"), bytes("bc")))).isEqualTo(2);
		assertThat(this.store.push(bytes("list"), List.of(bytes("d")))).isEqualTo(3);
		assertThat(this.store.usedMemory())
			.isEqualTo(4 + KeyValueStore.ENTRY_OVERHEAD + 4 + 3 * ListValue.ELEMENT_OVERHEAD);
		assertThat(this.store.length(bytes("list"))).isEqualTo(3);
		assertThat(this.store.pop(bytes("list"))).isEqualTo(bytes("d"));
		assertThat(this.store.pop(bytes("list"))).isEqualTo(bytes("bc"));
		assertThat(this.store.pop(bytes("list"))).isEqualTo(bytes("a"));
		assertThat(this.store.pop(bytes("list"))).isNull();
		assertThat(this.store.exists(bytes("list"))).isFalse();
		assertThat(this.store.usedMemory()).isZero();
	}

	@Test
	void aStringCommandOnAListAndAListCommandOnAStringAreWrongTypes() throws Exception {
		this.store.push(bytes("list"), List.of(bytes("a")));
		this.store.set(bytes("string"), bytes("1"));
		assertThatExceptionOfType(WrongTypeException.class).isThrownBy(() -> this.store.get(bytes("list")))
			.withMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
		assertThatExceptionOfType(WrongTypeException.class).isThrownBy(() -> this.store.increment(bytes("list")));
		assertThatExceptionOfType(WrongTypeException.class)
			.isThrownBy(() -> this.store.push(bytes("string"), List.of(bytes("a"))));
		assertThatExceptionOfType(WrongTypeException.class).isThrownBy(() -> this.store.pop(bytes("string")));
		assertThat(this.store.getAll(List.of(bytes("list"), bytes("string")))).containsExactly(null, bytes("1"));
		this.store.set(bytes("list"), bytes("now a string"));
		assertThat(this.store.usedMemory()).isEqualTo(4 + 12 + 6 + 1 + 2 * KeyValueStore.ENTRY_OVERHEAD);
	}

	private void increment(String key) {
		try {
			this.store.increment(bytes(key));
		}
		catch (StoreFullException | WrongTypeException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
