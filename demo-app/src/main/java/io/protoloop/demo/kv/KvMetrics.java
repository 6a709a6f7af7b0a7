package io.protoloop.demo.kv;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * The kv endpoint's own meters, beside Protoloop's per-endpoint ones: the store's memory against its limit, its
 * keys and evictions ({@code demo.kv.memory.used}, {@code demo.kv.memory.max}, {@code demo.kv.keys},
 * {@code demo.kv.evictions}), and how often each {@link KvGuard} tripped ({@code demo.kv.guards}, tag
 * {@code guard}). Counts are kept here, so the protocol needs no registry.
 */
@Component
public class KvMetrics implements MeterBinder {

	private final KeyValueStore store;

	private final Map<KvGuard, LongAdder> guards = new EnumMap<>(KvGuard.class);

	public KvMetrics(KeyValueStore store) {
		this.store = store;
		for (KvGuard guard : KvGuard.values()) {
			this.guards.put(guard, new LongAdder());
		}
	}

	/** Counts one trip of {@code guard}. Thread safe. */
	public void tripped(KvGuard guard) {
		this.guards.get(guard).increment();
	}

	/** Returns how often {@code guard} tripped since the start. */
	public long trips(KvGuard guard) {
		return this.guards.get(guard).sum();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("demo.kv.memory.used", this.store, KeyValueStore::usedMemory)
			.description("Bytes the kv store holds, as demo.kv.max-memory counts them")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("demo.kv.memory.max", this.store, KeyValueStore::maxMemory)
			.description("demo.kv.max-memory")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("demo.kv.keys", this.store, KeyValueStore::size)
			.description("Keys in the kv store")
			.register(registry);
		FunctionCounter.builder("demo.kv.evictions", this.store, KeyValueStore::evictions)
			.description("Keys evicted to make room (allkeys-lru)")
			.register(registry);
		this.guards.forEach((guard, count) -> FunctionCounter.builder("demo.kv.guards", count, LongAdder::sum)
			.description("Commands refused and connections closed by a kv limit")
			.tag("guard", guard.tagValue())
			.register(registry));
	}

}
