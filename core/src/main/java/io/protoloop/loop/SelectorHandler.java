package io.protoloop.loop;

/**
 * The attachment of a channel registered with a loop's selector: called on the loop thread when the channel
 * is ready. Implemented by transports and servers; not an API for applications.
 */
public interface SelectorHandler {

	/**
	 * Handles readiness. An exception escaping this method is reported to the loop's exception handler.
	 * @param readyOps the ready operations of the selection key
	 */
	void onReady(int readyOps);

}
