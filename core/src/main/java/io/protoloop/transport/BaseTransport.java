package io.protoloop.transport;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.BaseProtocol;

/**
 * Methods that every transport shares. Transports are created by the event loop, never by users, and are not
 * thread safe: call them from their loop's thread (from another thread, go through
 * {@link EventLoop#callSoonThreadsafe(Runnable)}).
 */
public interface BaseTransport {

	/**
	 * Closes the transport: buffered outgoing data is flushed asynchronously and no more data is received.
	 * Once everything is flushed the protocol's {@code connectionLost(null)} is called. Idempotent.
	 */
	void close();

	/**
	 * {@return {@code true} if the transport is closing or closed}
	 */
	boolean isClosing();

	/**
	 * {@return transport-specific information, or {@code defaultValue} when it is not available}
	 * @param name one of the keys in {@link ExtraInfo}
	 * @param defaultValue what to return when the information is not available
	 */
	Object getExtraInfo(String name, Object defaultValue);

	/**
	 * {@return transport-specific information (see {@link ExtraInfo}), or {@code null} when not available}
	 * @param name one of the keys in {@link ExtraInfo}
	 */
	default Object getExtraInfo(String name) {
		return getExtraInfo(name, null);
	}

	/**
	 * {@return the protocol currently attached to this transport}
	 */
	BaseProtocol getProtocol();

	/**
	 * {@return the event loop that runs this transport and its protocol}
	 */
	EventLoop getLoop();

	/**
	 * {@return the public view of the connection this transport belongs to, for tools and graceful shutdown} Its id, a
	 * snapshot of its state, {@code whenClosed}, and the application layer. Not part of asyncio's API.
	 */
	TransportView view();

}
