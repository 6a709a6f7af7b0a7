package io.protoloop.demo.kv;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The key-value store alone: keys compared by content, Redis's integers, and INCR atomic across threads. */
@Timeout(30)
class KvStoreTests {

	private final KeyValueStore store = new KeyValueStore(KvProperties.DEFAULTS);

	@Test
	void keysAreComparedByContentNotByArray() throws StoreFullException {
		this.store.set(bytes("key"), bytes("value"));
		assertThat(this.store.get(bytes("key"))).isEqualTo(bytes("value"));
		assertThat(this.store.exists(bytes("key"))).isTrue();
		assertThat(this.store.size()).isOne();
		assertThat(this.store.delete(bytes("key"))).isTrue();
		assertThat(this.store.delete(bytes("key"))).isFalse();
		assertThat(this.store.get(bytes("key"))).isNull();
	}

	@Test
	void incrementAcceptsOnlyCanonicalIntegersAndLeavesOthersUnchanged() throws StoreFullException {
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

	private void increment(String key) {
		try {
			this.store.increment(bytes(key));
		}
		catch (StoreFullException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
