package io.protoloop.nio;

/**
 * The attachment of a channel registered with a loop's selector: called on the loop thread when the channel
 * is ready. Implemented by transports and servers.
 */
interface SelectorHandler {

	/**
	 * Handles readiness. An exception escaping this method is reported to the loop's exception handler.
	 * @param readyOps the ready operations of the selection key
	 */
	void onReady(int readyOps);

}
