package io.protoloop.nio;

import java.io.IOException;

/** A socket that can wait for readiness on a loop: a JDK channel through its selector, or a native descriptor. */
interface Pollable {

	/**
	 * Registers the socket with {@code loop}, or re-registers it with another handler. Loop thread only.
	 * @param loop the loop the socket lives on
	 * @param ops the operations to wait for at first
	 * @param handler what readiness calls
	 * @return the registration
	 * @throws IOException if the socket is closed or cannot be registered
	 */
	PollKey register(SelectorEventLoop loop, int ops, SelectorHandler handler) throws IOException;

}
