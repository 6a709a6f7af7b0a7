package io.protoloop.test;

import java.net.SocketAddress;

/** The address of an end of an in-memory connection: a name, unique in the process, shown as {@code memory:name}. */
final class InMemoryAddress extends SocketAddress {

	private final String name;

	InMemoryAddress(String name) {
		this.name = name;
	}

	@Override
	public String toString() {
		return "memory:" + this.name;
	}

}
