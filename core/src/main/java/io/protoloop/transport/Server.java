package io.protoloop.transport;

import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.protoloop.loop.EventLoop;

/**
 * A listening server created by {@code createServer} or {@code createUnixServer}. Unlike transports, a server's
 * methods may be called from any thread: they run on the server's loop.
 */
public interface Server extends AutoCloseable {

	/**
	 * Stops listening: the listening sockets are closed (a Unix socket file is removed). Connections already
	 * accepted stay open. Idempotent.
	 */
	@Override
	void close();

	/** Closes every connection accepted by this server (each flushes its buffer first). */
	void closeClients();

	/** Aborts every connection accepted by this server, dropping their buffered data. */
	void abortClients();

	/**
	 * {@return a future completed once the server is closed and all its connections are gone}
	 */
	CompletableFuture<Void> waitClosed();

	/** Starts accepting connections, if not already. */
	void startServing();

	/**
	 * Stops accepting connections without closing the listening sockets, which stay bound: the operating system
	 * queues new connections in the backlog until {@link #startServing()}. Not in asyncio's API; for operators
	 * who need to drain an instance. Idempotent.
	 */
	void stopServing();

	/**
	 * Starts accepting connections and returns a future that ends when the server is closed: it is then
	 * cancelled (it completes with a {@link java.util.concurrent.CancellationException}), as asyncio's
	 * {@code serve_forever()} ends with {@code CancelledError}. A second call, or a call on a closed server,
	 * returns a future failed with {@link IllegalStateException}, as asyncio raises {@code RuntimeError}.
	 * @return a future cancelled when the server closes, or failed with {@link IllegalStateException}
	 */
	CompletableFuture<Void> serveForever();

	/**
	 * {@return {@code true} while the server accepts new connections}
	 */
	boolean isServing();

	/**
	 * {@return the listening sockets, asyncio's {@code Server.sockets}: a {@code ServerSocketChannel} each on the
	 * {@code java.nio} transport, a native socket with the same options and addresses on epoll; empty once the
	 * server is closed}
	 */
	List<NetworkChannel> sockets();

	/**
	 * {@return the addresses the server is bound to (with the actual ports when port 0 was asked for)}
	 */
	List<SocketAddress> addresses();

	/**
	 * {@return the number of connections accepted by this server that are still open}
	 */
	int connectionCount();

	/**
	 * {@return the transports the application protocols of the open connections use, a snapshot} For a layered
	 * connection (TLS), the layer's transport, not the socket's. Each transport must be used on its own loop
	 * ({@code transport.getLoop().execute(...)}).
	 */
	List<Transport> transports();

	/**
	 * {@return the public views of the open connections, a snapshot: ids, state, ends, application layers}
	 */
	List<TransportView> connections();

	/**
	 * {@return the event loop that accepts connections for this server}
	 */
	EventLoop getLoop();

}
