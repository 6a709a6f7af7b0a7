package io.protoloop.metrics;

/**
 * A limit that protects the process from its peers, and that a peer reached: each one ends or refuses one
 * connection, never more, and is counted so operators see it.
 */
public enum Guard {

	/** A connection's write buffer went over its hard cap: the protocol kept writing to a peer that does not read. */
	WRITE_BUFFER_MAX,

	/** A connection neither read nor wrote for its idle timeout. */
	IDLE_TIMEOUT,

	/** A connection received nothing for its read timeout. */
	READ_TIMEOUT,

	/** A server at its connection limit refused a new connection. */
	MAX_CONNECTIONS,

	/** A server refused a connection from an address that had reached its own limit. */
	MAX_CONNECTIONS_PER_ADDRESS,

	/** A TLS handshake did not complete within its timeout (a silent or plaintext client, say). */
	HANDSHAKE_TIMEOUT,

	/** A connection's PROXY protocol header was missing where required, malformed, or too long. */
	PROXY_HEADER;

	/**
	 * Returns the name used in metrics and properties: lowercase, dash-separated ({@code write-buffer-max}).
	 * @return the name used in metrics and properties: lowercase, dash-separated ({@code write-buffer-max})
	 */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
