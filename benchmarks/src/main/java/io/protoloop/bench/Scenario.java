package io.protoloop.bench;

/**
 * A throughput scenario: ping-pong over a number of connections (TCP, TLS) or flows (UDP) with a message size,
 * single-connection streaming with a write size (TCP, TLS), or TLS handshakes over a number of connections.
 * @param family the kind of servers it runs against
 * @param mode what the client does
 * @param connections connections (TCP, TLS) or flows (UDP) the client keeps busy at once
 * @param size message size (ping-pong), write size (streaming) or datagram size (UDP), in bytes; for handshakes,
 * the size of the one message each connection echoes before it closes
 */
record Scenario(Family family, Mode mode, int connections, int size) {

	/** The servers a scenario runs against: plain TCP, TLS over TCP, UDP, or the Redis protocol. */
	enum Family {

		TCP, TLS, UDP, KV;

		/**
		 * Returns the family of the server {@code name}: {@code -tls} and {@code -udp} name their family;
		 * {@code protoloop-kv} and {@code redis-server} speak RESP; a native backend server is in its NIO twin's.
		 */
		static Family of(String server) {
			String twin = Report.nioTwin(server);
			if (twin.equals(Report.PROTOLOOP_KV) || twin.equals(Report.REDIS_SERVER)) {
				return KV;
			}
			return twin.endsWith("-udp") ? UDP : twin.endsWith("-tls") ? TLS : TCP;
		}

	}

	/** What the client does. */
	enum Mode {
		PING_PONG, STREAMING, HANDSHAKES,
		/** {@link RedisBenchmark}: {@code connections} clients, a pipeline of {@code size} requests. */
		REDIS_BENCHMARK
	}

	static Scenario pingPong(int connections, int size) {
		return new Scenario(Family.TCP, Mode.PING_PONG, connections, size);
	}

	static Scenario streaming(int writeSize) {
		return new Scenario(Family.TCP, Mode.STREAMING, 1, writeSize);
	}

	static Scenario udpPingPong(int flows, int size) {
		return new Scenario(Family.UDP, Mode.PING_PONG, flows, size);
	}

	static Scenario tlsPingPong(int connections, int size) {
		return new Scenario(Family.TLS, Mode.PING_PONG, connections, size);
	}

	static Scenario tlsStreaming(int writeSize) {
		return new Scenario(Family.TLS, Mode.STREAMING, 1, writeSize);
	}

	/** TLS handshakes on {@code connections} at once: connect, full handshake, one 64-byte echo, reset. */
	static Scenario tlsHandshakes(int connections) {
		return new Scenario(Family.TLS, Mode.HANDSHAKES, connections, 64);
	}

	/** {@code redis-benchmark}, {@value RedisBenchmark#CLIENTS} clients, {@code pipeline} requests in flight each. */
	static Scenario kv(int pipeline) {
		return new Scenario(Family.KV, Mode.REDIS_BENCHMARK, RedisBenchmark.CLIENTS, pipeline);
	}

	/** Returns whether this is plain TCP ping-pong. */
	boolean tcpPingPong() {
		return this.family == Family.TCP && this.mode == Mode.PING_PONG;
	}

	/** Returns whether the client streams instead of waiting for each echo. */
	boolean streaming() {
		return this.mode == Mode.STREAMING;
	}

	/** Returns whether this is UDP ping-pong, run against the UDP servers only. */
	boolean udp() {
		return this.family == Family.UDP;
	}

	/** Returns whether this runs over TLS, against the TLS servers only. */
	boolean tls() {
		return this.family == Family.TLS;
	}

	/**
	 * Returns a short name, also used in the CSV files: {@code pp-10x1024}, {@code stream-262144},
	 * {@code udp-16x64}, {@code tls-pp-100x1024}, {@code tls-stream-262144}, {@code tls-handshake-10} or
	 * {@code kv-P16}.
	 */
	String id() {
		String prefix = switch (this.family) {
			case TCP -> "";
			case TLS -> "tls-";
			case UDP -> "udp-";
			case KV -> "kv-";
		};
		return prefix + switch (this.mode) {
			case PING_PONG -> ((this.family == Family.UDP) ? "" : "pp-") + this.connections + "x" + this.size;
			case STREAMING -> "stream-" + this.size;
			case HANDSHAKES -> "handshake-" + this.connections;
			case REDIS_BENCHMARK -> "P" + this.size;
		};
	}

	/**
	 * Returns a name for the table: {@code 10 conn x 1 KiB}, {@code stream 256 KiB}, {@code 16 flows x 64 B},
	 * {@code TLS 1 conn x 1 KiB} or {@code TLS handshakes x 10}.
	 */
	String label() {
		String size = (this.size % 1024 == 0) ? (this.size / 1024) + " KiB" : this.size + " B";
		String prefix = (this.family == Family.TLS) ? "TLS " : "";
		return prefix + switch (this.mode) {
			case PING_PONG -> this.connections + ((this.family == Family.UDP)
					? ((this.connections == 1) ? " flow x " : " flows x ") : " conn x ") + size;
			case STREAMING -> "stream " + size;
			case HANDSHAKES -> "handshakes x " + this.connections;
			case REDIS_BENCHMARK -> "kv " + this.connections + " x -P " + this.size;
		};
	}

}
