package io.protoloop.demo.kv;

/**
 * Input that breaks the Redis protocol, such as a bad length or a missing CRLF: there is no telling where the next
 * command starts, so the connection gets the message as an error reply and is closed, as Redis does.
 */
public final class RespProtocolException extends Exception {

	/** @param detail what was wrong, after Redis's wording where it has one */
	public RespProtocolException(String detail) {
		super("Protocol error: " + detail);
	}

}
