package io.protoloop.boot;

/**
 * Implemented by an endpoint's protocol that wants a word before the application closes its connection, to say
 * goodbye in its own protocol (a farewell line, a GOAWAY frame). Called on the connection's loop thread once
 * shutdown begins, just before the transport is closed; everything written here is flushed to the peer within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@FunctionalInterface
public interface ShutdownAware {

	/** The application is shutting down: the transport is closed right after this returns. */
	void shutdownStarted();

}
