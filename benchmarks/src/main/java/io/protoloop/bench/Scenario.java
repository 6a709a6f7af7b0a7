package io.protoloop.bench;

/**
 * A throughput scenario: ping-pong over a number of connections with a message size, or single-connection
 * streaming with a write size.
 * @param connections connections the client opens
 * @param size message size (ping-pong) or write size (streaming), in bytes
 * @param streaming whether the client streams instead of waiting for each echo
 */
record Scenario(int connections, int size, boolean streaming) {

	static Scenario pingPong(int connections, int size) {
		return new Scenario(connections, size, false);
	}

	static Scenario streaming(int writeSize) {
		return new Scenario(1, writeSize, true);
	}

	/** Returns a short name, also used in the CSV files: {@code pp-10x1024} or {@code stream-262144}. */
	String id() {
		return this.streaming ? "stream-" + this.size : "pp-" + this.connections + "x" + this.size;
	}

	/** Returns a name for the table: {@code 10 conn x 1 KiB} or {@code stream 256 KiB}. */
	String label() {
		String size = (this.size % 1024 == 0) ? (this.size / 1024) + " KiB" : this.size + " B";
		return this.streaming ? "stream " + size : this.connections + " conn x " + size;
	}

}
