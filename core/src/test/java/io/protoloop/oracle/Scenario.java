package io.protoloop.oracle;

import io.protoloop.loop.EventLoop;

/**
 * One scenario of the oracle: its name (the Python function in {@code oracle/scenarios.py} registered under the
 * same name), the Java program that produces its trace, and, when the traces are known to differ, why.
 * @param name the scenario's name, kebab-case
 * @param program the Java twin of the Python scenario
 * @param difference why Protoloop's trace differs from CPython's, as listed in docs/asyncio-differences.md; null
 * when they must match
 */
record Scenario(String name, Program program, String difference) {

	static Scenario of(String name, Program program) {
		return new Scenario(name, program, null);
	}

	/** Marks a documented difference: the test reports it (skipped, with the reason) instead of failing. */
	Scenario differs(String reason) {
		return new Scenario(this.name, this.program, reason);
	}

	@FunctionalInterface
	interface Program {

		/** Drives {@code loop} (fresh, not running) and records the trace in {@code t}. */
		void run(EventLoop loop, Trace t) throws Exception;

	}

}
