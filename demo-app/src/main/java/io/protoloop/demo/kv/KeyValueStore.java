package io.protoloop.demo.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The data behind the {@code kv} endpoint: binary keys and values in memory, with no protocol knowledge, bounded by
 * {@code demo.kv.max-memory} under an {@link EvictionPolicy}. One instance serves every connection, on several loop
 * threads: every operation holds the store's lock, so each is atomic, commands over several keys (MGET, MSET)
 * included. Operations are short (no scan), so the lock is held briefly.
 *
 * <p>Memory is counted as Redis's {@code used_memory} is, in bytes of keys and values, plus
 * {@value #ENTRY_OVERHEAD} bytes per entry so that empty keys and values are not free. Keys are
 * {@link StoreKey}s, whose order keeps colliding hashes logarithmic.
 *
 * <p>Arrays are not copied: the store keeps the arrays it is given and returns the arrays it holds, so neither
 * side may modify them afterwards.
 */
@Component
public class KeyValueStore {

	/**
	 * Bytes charged per entry beyond its key and value: about what the map's entry, the key object and two array
	 * headers take on a 64-bit JVM with compressed pointers.
	 */
	public static final int ENTRY_OVERHEAD = 96;

	/** What INCR accepts, as Redis does: no sign on zero, no leading zero, no plus sign, no spaces. */
	private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,18}");

	private final long maxMemory;

	private final EvictionPolicy policy;

	/** In access order, least recently used first: the order {@link EvictionPolicy#ALLKEYS_LRU} evicts in. */
	private final LinkedHashMap<StoreKey, byte[]> entries = new LinkedHashMap<>(16, 0.75f, true);

	private long usedMemory;

	private long evictions;

	@Autowired
	public KeyValueStore(KvProperties properties) {
		this(properties.maxMemory().toBytes(), properties.evictionPolicy());
	}

	KeyValueStore(long maxMemory, EvictionPolicy policy) {
		this.maxMemory = maxMemory;
		this.policy = policy;
	}

	/** Returns the value of {@code key}, or {@code null} if it has none. */
	public synchronized byte[] get(byte[] key) {
		return this.entries.get(new StoreKey(key));
	}

	/** Returns the values of {@code keys}, in order, {@code null} for a key with none: MGET, at one instant. */
	public synchronized List<byte[]> getAll(List<byte[]> keys) {
		List<byte[]> values = new ArrayList<>(keys.size());
		for (byte[] key : keys) {
			values.add(this.entries.get(new StoreKey(key)));
		}
		return values;
	}

	/**
	 * Sets the value of {@code key}, replacing any value it had.
	 * @throws StoreFullException if it does not fit; nothing changed
	 */
	public void set(byte[] key, byte[] value) throws StoreFullException {
		setAll(List.of(key, value));
	}

	/**
	 * Sets keys to values, all or none: MSET.
	 * @param keysAndValues a key, its value, the next key, ...; a key named twice takes its last value
	 * @throws StoreFullException if they do not fit together; nothing changed
	 */
	public synchronized void setAll(List<byte[]> keysAndValues) throws StoreFullException {
		Map<StoreKey, byte[]> writes = new LinkedHashMap<>();
		for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
			writes.put(new StoreKey(keysAndValues.get(i)), keysAndValues.get(i + 1));
		}
		long growth = 0;
		long written = 0;
		for (Map.Entry<StoreKey, byte[]> write : writes.entrySet()) {
			growth += charge(write.getKey(), write.getValue()) - charge(write.getKey(), this.entries.get(write.getKey()));
			written += charge(write.getKey(), write.getValue());
		}
		makeRoom(growth, written, writes.keySet());
		writes.forEach(this::put);
	}

	/** Removes {@code key}; returns {@code true} if it had a value. */
	public synchronized boolean delete(byte[] key) {
		StoreKey storeKey = new StoreKey(key);
		byte[] old = this.entries.remove(storeKey);
		this.usedMemory -= charge(storeKey, old);
		return old != null;
	}

	/** Returns {@code true} if {@code key} has a value. */
	public synchronized boolean exists(byte[] key) {
		return this.entries.containsKey(new StoreKey(key));
	}

	/**
	 * Adds one to the integer stored at {@code key} (0 if it has no value), atomically.
	 * @return the new value
	 * @throws NumberFormatException if the value is not a 64-bit integer in canonical decimal form
	 * @throws ArithmeticException if the value is {@link Long#MAX_VALUE}
	 * @throws StoreFullException if the longer number does not fit
	 */
	public synchronized long increment(byte[] key) throws StoreFullException {
		StoreKey storeKey = new StoreKey(key);
		byte[] old = this.entries.get(storeKey);
		long result = Math.addExact((old != null) ? parseLong(old) : 0, 1);
		byte[] value = Long.toString(result).getBytes(StandardCharsets.US_ASCII);
		makeRoom(charge(storeKey, value) - charge(storeKey, old), charge(storeKey, value), Set.of(storeKey));
		put(storeKey, value);
		return result;
	}

	/** Returns the number of keys. */
	public synchronized long size() {
		return this.entries.size();
	}

	/** Removes every key. */
	public synchronized void clear() {
		this.entries.clear();
		this.usedMemory = 0;
	}

	/** Returns the bytes the store holds, as {@code demo.kv.max-memory} counts them. */
	public synchronized long usedMemory() {
		return this.usedMemory;
	}

	/** Returns {@code demo.kv.max-memory} in bytes. */
	public long maxMemory() {
		return this.maxMemory;
	}

	/** Returns how many keys were evicted to make room, since the start. */
	public synchronized long evictions() {
		return this.evictions;
	}

	private void put(StoreKey key, byte[] value) {
		this.usedMemory += charge(key, value) - charge(key, this.entries.put(key, value));
	}

	/**
	 * Makes room for {@code growth} more bytes, evicting keys other than {@code kept} if the policy allows.
	 * @param written what the kept keys will take once written: if that alone is over the limit, nothing is evicted
	 */
	private void makeRoom(long growth, long written, Set<StoreKey> kept) throws StoreFullException {
		if (this.usedMemory + growth <= this.maxMemory) {
			return;
		}
		if (this.policy == EvictionPolicy.NOEVICTION || written > this.maxMemory) {
			throw new StoreFullException();
		}
		Iterator<Map.Entry<StoreKey, byte[]>> leastRecentlyUsed = this.entries.entrySet().iterator();
		while (this.usedMemory + growth > this.maxMemory && leastRecentlyUsed.hasNext()) {
			Map.Entry<StoreKey, byte[]> entry = leastRecentlyUsed.next();
			if (!kept.contains(entry.getKey())) {
				this.usedMemory -= charge(entry.getKey(), entry.getValue());
				this.evictions++;
				leastRecentlyUsed.remove();
			}
		}
	}

	/** Returns what an entry is charged, or 0 for a missing value. */
	private static long charge(StoreKey key, byte[] value) {
		return (value != null) ? key.length() + value.length + ENTRY_OVERHEAD : 0;
	}

	/** Parses a value as Redis does for INCR: see {@link #INTEGER}; 19 digits may still overflow. */
	private static long parseLong(byte[] value) {
		String text = new String(value, StandardCharsets.US_ASCII);
		if (!INTEGER.matcher(text).matches()) {
			throw new NumberFormatException("Not an integer: " + text);
		}
		return Long.parseLong(text);
	}

}
