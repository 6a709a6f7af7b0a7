package io.protoloop.demo.kv;

/** A command on a key whose value is of another type (GET of a list, LPUSH to a string); nothing changed. */
public final class WrongTypeException extends Exception {

	/** Redis's reply, word for word. */
	static final String REPLY = "WRONGTYPE Operation against a key holding the wrong kind of value";

	WrongTypeException() {
		super(REPLY, null, false, false);
	}

}
