package io.protoloop.boot.sample;

import java.util.concurrent.atomic.AtomicInteger;

/** A singleton that protocol beans get injected with: counts connections across all of them. */
public class Counter {

	private final AtomicInteger connections = new AtomicInteger();

	int next() {
		return this.connections.incrementAndGet();
	}

	public int connections() {
		return this.connections.get();
	}

}
