package io.protoloop.boot;

/** What kind of socket an endpoint listens on. */
public enum EndpointKind {

	/** A TCP server; the protocol is a {@code Protocol} or {@code BufferedProtocol}. */
	TCP,

	/** A Unix domain socket server at a path; the protocol is a {@code Protocol} or {@code BufferedProtocol}. */
	UNIX,

	/** A UDP endpoint; the protocol is a {@code DatagramProtocol}. */
	UDP

}
