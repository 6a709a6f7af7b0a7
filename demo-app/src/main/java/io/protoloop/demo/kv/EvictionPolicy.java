package io.protoloop.demo.kv;

/** What a write does when the store is at {@code demo.kv.max-memory}, after Redis's {@code maxmemory-policy}. */
public enum EvictionPolicy {

	/** Refuse the write with Redis's {@code -OOM} error; reads and deletes go on. */
	NOEVICTION,

	/** Evict the least recently used keys (read or written) until the write fits. */
	ALLKEYS_LRU

}
