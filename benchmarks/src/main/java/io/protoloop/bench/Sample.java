package io.protoloop.bench;

/**
 * One measured window of one server in one scenario.
 * @param round the round, from 1
 * @param scenario what the client did
 * @param server the server's name
 * @param work requests completed (ping-pong), bytes echoed back (streaming) or datagrams echoed back (UDP) in the
 * window
 * @param seconds the window's length
 * @param serverCpuSeconds the server process's CPU time in the window, all threads, user and system
 * @param loopAllocatedBytes the bytes the server's loop thread allocated in the window
 * @param clientCpuSeconds the client process's CPU time in the window
 * @param otherLoad the busiest of the two CPUs' share of time spent on anything but the server (on the server's
 * CPU) or the client (on the client's): other processes, interrupts, the hypervisor's steal
 * @param lost UDP datagrams sent in the window whose echo did not come back in time (always 0 for TCP)
 * @param p50 median round trip of a ping-pong request in the window, in seconds ({@code NaN} when not measured)
 * @param p99 99th percentile of the round trips, in seconds ({@code NaN} when not measured)
 * @param p999 99.9th percentile of the round trips, in seconds ({@code NaN} when not measured)
 */
record Sample(int round, Scenario scenario, String server, long work, double seconds, double serverCpuSeconds,
		long loopAllocatedBytes, double clientCpuSeconds, double otherLoad, long lost, double p50, double p99,
		double p999) {

	/** CSV header matching {@link #csv()}. */
	static final String CSV_HEADER = "round,scenario,server,work,seconds,server_cpu_s,loop_alloc_bytes,client_cpu_s,"
			+ "other_load,lost,p50_s,p99_s,p999_s";

	/** Returns requests or bytes per second. */
	double rate() {
		return this.work / this.seconds;
	}

	/** Returns server CPU seconds per request or per byte. */
	double cpuPerUnit() {
		return this.serverCpuSeconds / this.work;
	}

	/** Returns bytes allocated by the loop thread per request or per byte echoed. */
	double allocPerUnit() {
		return (double) this.loopAllocatedBytes / this.work;
	}

	/** Returns the share of one core the server used. */
	double serverBusy() {
		return this.serverCpuSeconds / this.seconds;
	}

	/** Returns the share of one core the client used. */
	double clientBusy() {
		return this.clientCpuSeconds / this.seconds;
	}

	String csv() {
		return String.join(",", Integer.toString(this.round), this.scenario.id(), this.server, Long.toString(this.work),
				Double.toString(this.seconds), Double.toString(this.serverCpuSeconds),
				Long.toString(this.loopAllocatedBytes), Double.toString(this.clientCpuSeconds),
				Double.toString(this.otherLoad), Long.toString(this.lost), Double.toString(this.p50),
				Double.toString(this.p99), Double.toString(this.p999));
	}

}
