package io.protoloop.demo.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

/**
 * The data behind the {@code kv} endpoint: binary keys and values in memory, with no protocol knowledge. One
 * instance serves every connection, and connections run on several loop threads, so it is thread safe: each
 * operation on one key is atomic ({@link #increment} included); commands over several keys apply key by key.
 *
 * <p>Arrays are not copied: the store keeps the arrays it is given and returns the arrays it holds, so neither
 * side may modify them afterwards.
 */
@Component
public class KeyValueStore {

	/** What INCR accepts, as Redis does: no sign on zero, no leading zero, no plus sign, no spaces. */
	private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,18}");

	private final ConcurrentHashMap<Key, byte[]> entries = new ConcurrentHashMap<>();

	/** Returns the value of {@code key}, or {@code null} if it has none. */
	public byte[] get(byte[] key) {
		return this.entries.get(new Key(key));
	}

	/** Sets the value of {@code key}, replacing any value it had. */
	public void set(byte[] key, byte[] value) {
		this.entries.put(new Key(key), value);
	}

	/** Removes {@code key}; returns {@code true} if it had a value. */
	public boolean delete(byte[] key) {
		return this.entries.remove(new Key(key)) != null;
	}

	/** Returns {@code true} if {@code key} has a value. */
	public boolean exists(byte[] key) {
		return this.entries.containsKey(new Key(key));
	}

	/**
	 * Adds one to the integer stored at {@code key} (0 if it has no value), atomically.
	 * @return the new value
	 * @throws NumberFormatException if the value is not a 64-bit integer in canonical decimal form
	 * @throws ArithmeticException if the value is {@link Long#MAX_VALUE}
	 */
	public long increment(byte[] key) {
		long[] result = new long[1];
		this.entries.compute(new Key(key), (k, value) -> {
			result[0] = Math.addExact((value != null) ? parseLong(value) : 0, 1);
			return Long.toString(result[0]).getBytes(StandardCharsets.US_ASCII);
		});
		return result[0];
	}

	/** Returns the number of keys. */
	public long size() {
		return this.entries.mappingCount();
	}

	/** Removes every key. */
	public void clear() {
		this.entries.clear();
	}

	/** Parses a value as Redis does for INCR: see {@link #INTEGER}; 19 digits may still overflow. */
	private static long parseLong(byte[] value) {
		String text = new String(value, StandardCharsets.US_ASCII);
		if (!INTEGER.matcher(text).matches()) {
			throw new NumberFormatException("Not an integer: " + text);
		}
		return Long.parseLong(text);
	}

	/** A key: the bytes compared by content, with the hash computed once. */
	private static final class Key {

		private final byte[] bytes;

		private final int hash;

		Key(byte[] bytes) {
			this.bytes = bytes;
			this.hash = Arrays.hashCode(bytes);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && this.hash == key.hash && Arrays.equals(this.bytes, key.bytes);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}
