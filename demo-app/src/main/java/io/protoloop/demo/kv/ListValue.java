package io.protoloop.demo.kv;

import java.util.ArrayDeque;

/**
 * A list value of the store (LPUSH, LPOP, LLEN): its elements, and their size as {@code max-memory} counts it, kept
 * as they change so it is never computed by walking the list. Confined to the store's lock.
 */
final class ListValue {

	/** Bytes charged per element beyond its own: its array's header and its slot in the deque. */
	static final int ELEMENT_OVERHEAD = 24;

	private final ArrayDeque<byte[]> elements = new ArrayDeque<>();

	private long size;

	/** Returns what the elements are charged, in bytes. */
	long size() {
		return this.size;
	}

	/** Returns the number of elements. */
	int length() {
		return this.elements.size();
	}

	/** Adds an element at the head. */
	void pushFirst(byte[] element) {
		this.elements.addFirst(element);
		this.size += charge(element);
	}

	/** Removes the head element; returns it, or {@code null} if the list is empty. */
	byte[] popFirst() {
		byte[] element = this.elements.pollFirst();
		if (element != null) {
			this.size -= charge(element);
		}
		return element;
	}

	/** Returns what one element is charged. */
	static long charge(byte[] element) {
		return element.length + ELEMENT_OVERHEAD;
	}

}
