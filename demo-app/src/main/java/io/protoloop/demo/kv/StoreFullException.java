package io.protoloop.demo.kv;

/**
 * A write that does not fit in {@code demo.kv.max-memory}: the policy evicts nothing, or the entry alone is larger.
 * The store is unchanged; the client gets Redis's {@code -OOM} error.
 */
public final class StoreFullException extends Exception {

	/** Redis's reply, word for word, so clients recognise it. */
	static final String REPLY = "OOM command not allowed when used memory > 'maxmemory'.";

	StoreFullException() {
		super(REPLY, null, false, false);
	}

}
