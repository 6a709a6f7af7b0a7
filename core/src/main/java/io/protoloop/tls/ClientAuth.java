package io.protoloop.tls;

/** Whether a TLS server asks its clients for a certificate. */
public enum ClientAuth {

	/** No client certificate (the default). */
	NONE,

	/** A client certificate is asked for and verified if sent; clients without one are accepted. */
	OPTIONAL,

	/** A verified client certificate is required: mutual TLS. */
	REQUIRED

}
