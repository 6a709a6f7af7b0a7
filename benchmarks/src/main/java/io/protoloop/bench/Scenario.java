package io.protoloop.bench;

/**
 * A throughput scenario: TCP ping-pong over a number of connections with a message size, single-connection TCP
 * streaming with a write size, or UDP ping-pong over a number of flows (client sockets) with a datagram size.
 * @param connections connections (TCP) or flows (UDP) the client opens
 * @param size message size (ping-pong), write size (streaming) or datagram size (UDP), in bytes
 * @param streaming whether the client streams instead of waiting for each echo
 * @param udp whether this is UDP ping-pong, run against the UDP servers only
 */
record Scenario(int connections, int size, boolean streaming, boolean udp) {

	static Scenario pingPong(int connections, int size) {
		return new Scenario(connections, size, false, false);
	}

	static Scenario streaming(int writeSize) {
		return new Scenario(1, writeSize, true, false);
	}

	static Scenario udpPingPong(int flows, int size) {
		return new Scenario(flows, size, false, true);
	}

	/** Returns whether this is TCP ping-pong. */
	boolean tcpPingPong() {
		return !this.streaming && !this.udp;
	}

	/**
	 * Returns a short name, also used in the CSV files: {@code pp-10x1024}, {@code stream-262144} or
	 * {@code udp-16x64}.
	 */
	String id() {
		if (this.udp) {
			return "udp-" + this.connections + "x" + this.size;
		}
		return this.streaming ? "stream-" + this.size : "pp-" + this.connections + "x" + this.size;
	}

	/** Returns a name for the table: {@code 10 conn x 1 KiB}, {@code stream 256 KiB} or {@code 16 flows x 64 B}. */
	String label() {
		String size = (this.size % 1024 == 0) ? (this.size / 1024) + " KiB" : this.size + " B";
		if (this.udp) {
			return this.connections + ((this.connections == 1) ? " flow x " : " flows x ") + size;
		}
		return this.streaming ? "stream " + size : this.connections + " conn x " + size;
	}

}
