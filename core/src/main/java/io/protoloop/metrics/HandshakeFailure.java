package io.protoloop.metrics;

/**
 * Why a TLS handshake failed, in the few classes an operator acts on differently: a low-cardinality reason for
 * metrics, never the peer's own words.
 */
public enum HandshakeFailure {

	/** The handshake did not complete within its timeout (a silent or plaintext client, say). */
	TIMEOUT,

	/** A certificate was refused: untrusted, expired, for another host name, or missing where required. */
	CERTIFICATE,

	/** The peer spoke something other than an acceptable TLS handshake: garbage, no common version or cipher. */
	PROTOCOL,

	/** The connection ended, by the peer or locally, before the handshake completed. */
	CLOSED;

	/** {@return the name used in metrics, in lowercase ({@code certificate})} */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
