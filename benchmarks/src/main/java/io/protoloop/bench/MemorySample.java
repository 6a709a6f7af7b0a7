package io.protoloop.bench;

/**
 * The memory one server needed for a batch of idle connections in one round. Its heap is pre-touched, so the
 * resident-set growth is native memory only and the live-heap growth (after a full GC) is added to it.
 * @param round the round, from 1
 * @param server the server's name
 * @param connections the idle connections opened
 * @param residentDelta growth of the process's resident set ({@code VmRSS}), in bytes
 * @param heapDelta growth of the live heap, in bytes
 */
record MemorySample(int round, String server, int connections, long residentDelta, long heapDelta) {

	/** CSV header matching {@link #csv()}. */
	static final String CSV_HEADER = "round,server,connections,rss_delta_bytes,heap_delta_bytes";

	/** Returns the native (resident) bytes per connection. */
	double residentPerConnection() {
		return (double) this.residentDelta / this.connections;
	}

	/** Returns the live heap bytes per connection. */
	double heapPerConnection() {
		return (double) this.heapDelta / this.connections;
	}

	/** Returns the native and heap bytes per connection together. */
	double totalPerConnection() {
		return residentPerConnection() + heapPerConnection();
	}

	String csv() {
		return this.round + "," + this.server + "," + this.connections + "," + this.residentDelta + ","
				+ this.heapDelta;
	}

}
