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
	 * Returns a number unique to this connection within the process, for operators to name it.
	 * @return a number unique to this connection within the process, for operators to name it
	 */
	long id();

	/**
	 * Returns the loop that runs the connection.
	 * @return the loop that runs the connection
	 */
	EventLoop getLoop();

	/**
	 * Returns the connection's state now: addresses, age, bytes, buffer, watermarks, paused flags.
	 * @return the connection's state now: addresses, age, bytes, buffer, watermarks, paused flags
	 */
	TransportSnapshot snapshot();

	/**
	 * Returns a future completed once {@code connectionLost} has run and the connection's resources are released.
	 * @return a future completed once {@code connectionLost} has run and the connection's resources are released
	 */
	CompletableFuture<Void> whenClosed();

	/**
	 * Returns the transport the application protocol is attached to: the connection's own transport, or, when
	 * its protocol is a {@link io.protoloop.protocol.ProtocolLayer}, the transport that layer hands upward.
	 * @return the transport the application protocol is attached to: the connection's own transport, or, when its protocol is a {@link io.protoloop.protocol.ProtocolLayer}, the transport that layer hands upward
	 */
	BaseTransport applicationTransport();

	/**
	 * Returns the application protocol: the protocol of {@link #applicationTransport()}.
	 * @return the application protocol: the protocol of {@link #applicationTransport()}
	 */
	default BaseProtocol applicationProtocol() {
		return applicationTransport().getProtocol();
	}

}
