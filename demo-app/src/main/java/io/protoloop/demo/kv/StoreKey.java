package io.protoloop.demo.kv;

import java.util.Arrays;

/**
 * A key of the store: its bytes compared by content, with the hash computed once. Comparable (unsigned
 * lexicographic order, as Redis sorts keys), so a {@link java.util.HashMap} bin of keys whose hashes collide becomes
 * a tree: 100,000 colliding keys cost a logarithmic search each, where a list would cost a scan (hash flooding).
 */
final class StoreKey implements Comparable<StoreKey> {

	private byte[] bytes;

	private int hash;

	StoreKey(byte[] bytes) {
		this.bytes = bytes;
		this.hash = Arrays.hashCode(bytes);
	}

	/**
	 * Makes this key {@code bytes}: only for the store's lookup probe, the one key that is never put in the map, so
	 * a read looks up without a key object of its own. A key in the map never changes.
	 */
	StoreKey probe(byte[] bytes) {
		this.bytes = bytes;
		this.hash = Arrays.hashCode(bytes);
		return this;
	}

	/** Returns the key's length in bytes. */
	int length() {
		return this.bytes.length;
	}

	@Override
	public int compareTo(StoreKey other) {
		return Arrays.compareUnsigned(this.bytes, other.bytes);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof StoreKey key && this.hash == key.hash && Arrays.equals(this.bytes, key.bytes);
	}

	@Override
	public int hashCode() {
		return this.hash;
	}

}
