package io.protoloop.oracle;

/** What a scenario's callback throws on purpose (Python: {@code class Boom(Exception)}). */
final class Boom extends RuntimeException {

	Boom() {
		super("boom", null, false, false);
	}

}
