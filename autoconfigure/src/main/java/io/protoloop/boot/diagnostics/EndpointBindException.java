package io.protoloop.boot.diagnostics;

import io.protoloop.boot.EndpointKind;

/** An endpoint could not bind its address, for example because the port is in use. */
public class EndpointBindException extends RuntimeException {

	/** The endpoint's name. */
	private final String endpoint;

	/** The endpoint's kind. */
	private final EndpointKind kind;

	/** The address the endpoint tried to bind: host and port, or the socket path. */
	private final String address;

	/**
	 * @param endpoint the endpoint's name
	 * @param kind the endpoint's kind
	 * @param address the address it tried to bind (host and port, or the socket path)
	 * @param cause the bind failure
	 */
	public EndpointBindException(String endpoint, EndpointKind kind, String address, Throwable cause) {
		super("Endpoint '" + endpoint + "' could not bind " + address + ": " + cause.getMessage(), cause);
		this.endpoint = endpoint;
		this.kind = kind;
		this.address = address;
	}

	/**
	 * {@return the name of the endpoint that could not bind}
	 */
	public String getEndpoint() {
		return this.endpoint;
	}

	/**
	 * {@return the endpoint's kind: {@code TCP}, {@code UNIX} or {@code UDP}}
	 */
	public EndpointKind getKind() {
		return this.kind;
	}

	/**
	 * {@return the address the endpoint tried to bind: host and port, or the socket path}
	 */
	public String getAddress() {
		return this.address;
	}

}
