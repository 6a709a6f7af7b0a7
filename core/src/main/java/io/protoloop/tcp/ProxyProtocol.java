package io.protoloop.tcp;

/**
 * Whether a server's connections start with a PROXY protocol header (v1 text or v2 binary, as HAProxy, AWS NLB
 * and most L4 load balancers send it), which names the real client: {@code peername} is then that client, not the
 * load balancer.
 */
public enum ProxyProtocol {

	/** No header is expected: the bytes are the application's (the default). */
	OFF,

	/** A header is read when the connection starts with one; a connection without one is served as is. */
	OPTIONAL,

	/** Every connection must start with a header; one that does not is closed (and counted). */
	REQUIRED

}
