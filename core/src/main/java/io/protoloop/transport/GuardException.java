package io.protoloop.transport;

import java.io.IOException;

import io.protoloop.metrics.Guard;

/**
 * Why a guard ended a connection: what a protocol's {@code connectionLost} receives when the write buffer went
 * over its cap or a timeout expired.
 */
public class GuardException extends IOException {

	private static final long serialVersionUID = 1L;

	private final transient Guard guard;

	/**
	 * Creates the exception for {@code guard}.
	 * @param guard the guard that tripped
	 * @param message what happened and what to change
	 */
	public GuardException(Guard guard, String message) {
		super(message);
		this.guard = guard;
	}

	/**
	 * {@return the guard that tripped}
	 */
	public Guard guard() {
		return this.guard;
	}

}
