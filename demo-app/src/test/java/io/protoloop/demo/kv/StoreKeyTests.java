package io.protoloop.demo.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hash flooding: keys whose hashes all collide. The store's keys are ordered, so a hash map keeps such a bin as a
 * tree and each lookup takes a few dozen comparisons, where a list would take tens of thousands. Counted, not timed.
 */
@Timeout(60)
class StoreKeyTests {

	/** Two blocks with the same hash under Arrays.hashCode (and String.hashCode): 'A' * 31 + 'a' == 'B' * 31 + 'B'. */
	private static final String[] BLOCKS = { "Aa", "BB" };

	private static final int KEYS = 100_000;

	@Test
	void oneHundredThousandCollidingKeysCostALogarithmicNumberOfComparisonsEach() {
		List<byte[]> keys = collidingKeys(KEYS);
		assertThat(keys.stream().mapToInt(Arrays::hashCode).distinct()).as("one hash for all").hasSize(1);
		Map<Counted, Integer> map = new HashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			map.put(new Counted(new StoreKey(keys.get(i))), i);
		}
		Counted.comparisons = 0;
		int lookups = 1_000;
		for (int i = 0; i < lookups; i++) {
			int index = (int) ((long) i * KEYS / lookups);
			assertThat(map.get(new Counted(new StoreKey(keys.get(index).clone())))).isEqualTo(index);
		}
		double perLookup = (double) Counted.comparisons / lookups;
		double log2 = Math.log(KEYS) / Math.log(2);
		assertThat(perLookup).as("comparisons per lookup among %d colliding keys (log2 = %.1f)", KEYS, log2)
			.isLessThan(4 * log2);
	}

	@Test
	void theStoreHoldsOneHundredThousandCollidingKeys() throws Exception {
		KeyValueStore store = new KeyValueStore(KvProperties.DEFAULTS);
		List<byte[]> keys = collidingKeys(KEYS);
		for (byte[] key : keys) {
			store.set(key, key);
		}
		assertThat(store.size()).isEqualTo(KEYS);
		for (byte[] key : keys) {
			assertThat(store.get(key.clone())).isEqualTo(key);
		}
	}

	@Test
	void theOrderIsUnsignedLexicographicAndAgreesWithEquals() {
		assertThat(key("a").compareTo(key("b"))).isNegative();
		assertThat(key("ab").compareTo(key("a"))).isPositive();
		assertThat(new StoreKey(new byte[] { (byte) 0xFF }).compareTo(key("a"))).as("unsigned").isPositive();
		assertThat(key("same").compareTo(key("same"))).isZero();
		assertThat(key("same")).isEqualTo(key("same")).hasSameHashCodeAs(key("same"));
	}

	/** Returns {@code count} distinct keys of 17 blocks each, all with the same hash. */
	static List<byte[]> collidingKeys(int count) {
		List<byte[]> keys = new ArrayList<>(count);
		for (int n = 0; n < count; n++) {
			StringBuilder key = new StringBuilder();
			for (int bit = 16; bit >= 0; bit--) {
				key.append(BLOCKS[(n >> bit) & 1]);
			}
			keys.add(key.toString().getBytes(StandardCharsets.US_ASCII));
		}
		return keys;
	}

	private static StoreKey key(String text) {
		return new StoreKey(text.getBytes(StandardCharsets.UTF_8));
	}

	/** A store key that counts the comparisons a map makes, so the test sees how the map searches. */
	private record Counted(StoreKey key) implements Comparable<Counted> {

		static long comparisons;

		@Override
		public int compareTo(Counted other) {
			comparisons++;
			return this.key.compareTo(other.key);
		}

		@Override
		public boolean equals(Object other) {
			comparisons++;
			return other instanceof Counted counted && this.key.equals(counted.key);
		}

		@Override
		public int hashCode() {
			return this.key.hashCode();
		}

	}

}
