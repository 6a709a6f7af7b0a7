package io.protoloop.transport;

import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.BaseProtocol;

/**
 * One connection (or datagram endpoint) as operators and tools see it: a stable id, a snapshot of its state,
 * a future for its end, and the application layer on top of it. When a layer such as TLS sits between the
 * socket and the application protocol, the view belongs to the socket's transport and
 * {@link #applicationTransport()} reaches through the layers to what the application uses.
 *
 * <p>{@link #id()}, {@link #getLoop()} and {@link #whenClosed()} may be called from any thread; the others on
 * the connection's loop thread ({@code view.getLoop().submit(view::snapshot)}).
 */
public interface TransportView {

	/**
	 * {@return a number unique to this connection within the process, for operators to name it}
	 */
	long id();

	/**
	 * {@return the loop that runs the connection}
	 */
	EventLoop getLoop();

	/**
	 * {@return the connection's state now: addresses, age, bytes, buffer, watermarks, paused flags}
	 */
	TransportSnapshot snapshot();

	/**
	 * {@return a future completed once {@code connectionLost} has run and the connection's resources are released}
	 */
	CompletableFuture<Void> whenClosed();

	/**
	 * {@return the transport the application protocol is attached to} The connection's own transport, or, when its
	 * protocol is a {@link io.protoloop.protocol.ProtocolLayer}, the transport that layer hands upward.
	 */
	BaseTransport applicationTransport();

	/**
	 * {@return the application protocol: the protocol of {@link #applicationTransport()}}
	 */
	default BaseProtocol applicationProtocol() {
		return applicationTransport().getProtocol();
	}

}
