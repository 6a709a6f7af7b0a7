package io.protoloop.nio;

/**
 * Something the loop must shut down when it closes: a server or a transport.
 */
interface LoopResource {

	/**
	 * Called on the loop thread when the loop closes: servers stop listening, transports abort (their protocols
	 * then see {@code connectionLost}).
	 */
	void closeWithLoop();

}
