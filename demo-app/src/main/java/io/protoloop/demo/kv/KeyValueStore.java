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
 * The data behind the {@code kv} endpoint: binary keys whose values are strings or lists ({@link ListValue}), in
 * memory, with no protocol knowledge, bounded by
 * {@code demo.kv.max-memory} under an {@link EvictionPolicy}. One instance serves every connection, on several loop
 * threads: every operation holds the store's lock, so each is atomic, commands over several keys (MGET, MSET)
 * included. Operations are short (no scan), so the lock is held briefly.
 *
 * <p>Memory is counted as Redis's {@code used_memory} is, in bytes of keys and values, plus
 * {@value #ENTRY_OVERHEAD} bytes per entry (and {@value ListValue#ELEMENT_OVERHEAD} per list element) so that
 * empty keys and values are not free. Keys are
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

	/**
	 * Under {@link EvictionPolicy#ALLKEYS_LRU}, in access order, least recently used first: the order it evicts in.
	 * Otherwise in insertion order, which nothing reads: keeping access order costs every read and write two more
	 * random memory accesses (the entry's neighbours), the larger part of a lookup in a large store.
	 */
	private final LinkedHashMap<StoreKey, Object> entries;

	/** The key reads look up with (under the lock): never put in {@link #entries}. */
	private final StoreKey probe = new StoreKey(new byte[0]);

	private long usedMemory;

	private long evictions;

	@Autowired
	public KeyValueStore(KvProperties properties) {
		this(properties.maxMemory().toBytes(), properties.evictionPolicy());
	}

	KeyValueStore(long maxMemory, EvictionPolicy policy) {
		this.maxMemory = maxMemory;
		this.policy = policy;
		this.entries = new LinkedHashMap<>(16, 0.75f, policy == EvictionPolicy.ALLKEYS_LRU);
	}

	/**
	 * Returns the value of {@code key}, or {@code null} if it has none.
	 * @throws WrongTypeException if its value is a list
	 */
	public synchronized byte[] get(byte[] key) throws WrongTypeException {
		Object value = this.entries.get(this.probe.probe(key));
		if (value instanceof ListValue) {
			throw new WrongTypeException();
		}
		return (byte[]) value;
	}

	/**
	 * Returns the values of {@code keys}, in order, {@code null} for a key with none or with a list: MGET, at one
	 * instant.
	 */
	public synchronized List<byte[]> getAll(List<byte[]> keys) {
		List<byte[]> values = new ArrayList<>(keys.size());
		for (byte[] key : keys) {
			Object value = this.entries.get(this.probe.probe(key));
			values.add((value instanceof byte[] string) ? string : null);
		}
		return values;
	}

	/**
	 * Sets the value of {@code key}, replacing any value it had.
	 * @throws StoreFullException if it does not fit; nothing changed
	 */
	public synchronized void set(byte[] key, byte[] value) throws StoreFullException {
		// One lookup when the value fits without evicting, the common case; otherwise undone, and MSET's way.
		StoreKey storeKey = new StoreKey(key);
		Object old = this.entries.put(storeKey, value);
		long used = this.usedMemory + charge(storeKey, value) - charge(storeKey, old);
		if (used <= this.maxMemory) {
			this.usedMemory = used;
			return;
		}
		if (old != null) {
			this.entries.put(storeKey, old);
		}
		else {
			this.entries.remove(storeKey);
		}
		setAll(List.of(key, value));
	}

	/**
	 * Sets keys to values, all or none, whatever they held before: MSET.
	 * @param keysAndValues a key, its value, the next key, ...; a key named twice takes its last value
	 * @throws StoreFullException if they do not fit together; nothing changed
	 */
	public synchronized void setAll(List<byte[]> keysAndValues) throws StoreFullException {
		Map<StoreKey, Object> writes = new LinkedHashMap<>();
		for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
			writes.put(new StoreKey(keysAndValues.get(i)), keysAndValues.get(i + 1));
		}
		long growth = 0;
		long written = 0;
		for (Map.Entry<StoreKey, Object> write : writes.entrySet()) {
			long charge = charge(write.getKey(), write.getValue());
			growth += charge - charge(write.getKey(), this.entries.get(write.getKey()));
			written += charge;
		}
		makeRoom(growth, written, writes.keySet());
		writes.forEach(this::put);
	}

	/** Removes {@code key}; returns {@code true} if it had a value. */
	public synchronized boolean delete(byte[] key) {
		StoreKey storeKey = new StoreKey(key);
		Object old = this.entries.remove(storeKey);
		this.usedMemory -= charge(storeKey, old);
		return old != null;
	}

	/** Returns {@code true} if {@code key} has a value. */
	public synchronized boolean exists(byte[] key) {
		return this.entries.containsKey(this.probe.probe(key));
	}

	/**
	 * Adds one to the integer stored at {@code key} (0 if it has no value), atomically.
	 * @return the new value
	 * @throws NumberFormatException if the value is not a 64-bit integer in canonical decimal form
	 * @throws ArithmeticException if the value is {@link Long#MAX_VALUE}
	 * @throws StoreFullException if the longer number does not fit
	 * @throws WrongTypeException if the value is a list
	 */
	public synchronized long increment(byte[] key) throws StoreFullException, WrongTypeException {
		StoreKey storeKey = new StoreKey(key);
		byte[] old = get(key);
		long result = Math.addExact((old != null) ? parseLong(old) : 0, 1);
		byte[] value = Long.toString(result).getBytes(StandardCharsets.US_ASCII);
		makeRoom(charge(storeKey, value) - charge(storeKey, old), charge(storeKey, value), Set.of(storeKey));
		put(storeKey, value);
		return result;
	}

	/**
	 * Adds elements at the head of the list at {@code key}, one after the other, creating it if the key has no
	 * value: LPUSH.
	 * @return the list's length after
	 * @throws StoreFullException if they do not fit; nothing changed
	 * @throws WrongTypeException if the value is a string
	 */
	public synchronized int push(byte[] key, List<byte[]> elements) throws StoreFullException, WrongTypeException {
		StoreKey storeKey = new StoreKey(key);
		ListValue list = list(storeKey);
		long growth = (list != null) ? 0 : storeKey.length() + ENTRY_OVERHEAD;
		for (byte[] element : elements) {
			growth += ListValue.charge(element);
		}
		makeRoom(growth, charge(storeKey, list) + growth, Set.of(storeKey));
		if (list == null) {
			list = new ListValue();
			this.entries.put(storeKey, list);
		}
		for (byte[] element : elements) {
			list.pushFirst(element);
		}
		this.usedMemory += growth;
		return list.length();
	}

	/**
	 * Removes the head element of the list at {@code key}, and the key with its last element: LPOP.
	 * @return the element, or {@code null} if the key has no value
	 * @throws WrongTypeException if the value is a string
	 */
	public synchronized byte[] pop(byte[] key) throws WrongTypeException {
		StoreKey storeKey = new StoreKey(key);
		ListValue list = list(storeKey);
		if (list == null) {
			return null;
		}
		byte[] element = list.popFirst();
		this.usedMemory -= ListValue.charge(element);
		if (list.length() == 0) {
			this.entries.remove(storeKey);
			this.usedMemory -= storeKey.length() + ENTRY_OVERHEAD;
		}
		return element;
	}

	/**
	 * Returns the length of the list at {@code key}, 0 if it has no value: LLEN.
	 * @throws WrongTypeException if the value is a string
	 */
	public synchronized int length(byte[] key) throws WrongTypeException {
		ListValue list = list(new StoreKey(key));
		return (list != null) ? list.length() : 0;
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

	/** Returns the list at {@code key}, or {@code null} if it has no value. */
	private ListValue list(StoreKey key) throws WrongTypeException {
		Object value = this.entries.get(key);
		if (value instanceof byte[]) {
			throw new WrongTypeException();
		}
		return (ListValue) value;
	}

	private void put(StoreKey key, Object value) {
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
		Iterator<Map.Entry<StoreKey, Object>> leastRecentlyUsed = this.entries.entrySet().iterator();
		while (this.usedMemory + growth > this.maxMemory && leastRecentlyUsed.hasNext()) {
			Map.Entry<StoreKey, Object> entry = leastRecentlyUsed.next();
			if (!kept.contains(entry.getKey())) {
				this.usedMemory -= charge(entry.getKey(), entry.getValue());
				this.evictions++;
				leastRecentlyUsed.remove();
			}
		}
	}

	/** Returns what an entry is charged, or 0 for a missing value. */
	private static long charge(StoreKey key, Object value) {
		if (value == null) {
			return 0;
		}
		long size = (value instanceof ListValue list) ? list.size() : ((byte[]) value).length;
		return key.length() + size + ENTRY_OVERHEAD;
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
