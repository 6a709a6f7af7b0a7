package io.protoloop.loop;

import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.udp.DatagramOptions;

/**
 * The event-loop methods that create servers and transports, asyncio's {@code create_*} family. Every
 * {@link EventLoop} offers them, and so does an {@code EventLoopGroup}, which spreads what it creates over its
 * loops. Each future completes on the loop that runs the new server or transport.
 */
public interface TransportFactory {

	/**
	 * Creates a TCP server: binds each address of the options' hosts (all interfaces when none) and accepts
	 * connections, creating one protocol per connection with {@code factory}.
	 * @return a future completed with the server once it is bound, or with the bind error
	 */
	CompletableFuture<Server> createServer(Supplier<? extends StreamProtocol> factory, ServerOptions options);

	/**
	 * Creates a server listening on a Unix domain socket at {@code path} (a stale socket file there is replaced;
	 * the file is removed when the server closes); see {@link #createServer}.
	 */
	CompletableFuture<Server> createUnixServer(Supplier<? extends StreamProtocol> factory, Path path,
			ServerOptions options);

	/**
	 * Opens a TCP connection to {@code host:port}: resolves the host off the loop thread, then tries each
	 * address in turn until one connects.
	 * @return a future completed once the protocol's {@code connectionMade} has run
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, String host, int port, ConnectionOptions options);

	/** Opens a TCP connection to {@code host:port} with default options; see {@link #createConnection}. */
	default <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, String host, int port) {
		return createConnection(factory, host, port, ConnectionOptions.DEFAULT);
	}

	/**
	 * Wraps an already connected socket channel in a transport: asyncio's {@code create_connection(sock=...)}.
	 * Same as {@link #connectAcceptedSocket}.
	 */
	default <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, SocketChannel channel, ConnectionOptions options) {
		return connectAcceptedSocket(factory, channel, options);
	}

	/** Opens a connection to the Unix domain socket at {@code path}. */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createUnixConnection(
			Supplier<P> factory, Path path, ConnectionOptions options);

	/**
	 * Wraps a socket channel that is already connected (accepted elsewhere, or one end of a pair) in a
	 * transport.
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
			Supplier<P> factory, SocketChannel channel, ConnectionOptions options);

	/**
	 * Upgrades a live stream transport to TLS in place, asyncio's {@code start_tls}: for STARTTLS-style protocols
	 * (SMTP, IMAP, PostgreSQL) that switch mid-stream. What was written before is sent before the handshake;
	 * the old transport must not be used afterwards. Call on the transport's loop thread.
	 * @param transport a plain stream transport
	 * @param protocol the protocol that gets the TLS transport
	 * @param options the TLS options
	 * @param serverSide whether this end is the TLS server
	 * @return a future completed with the new transport once the handshake is done and the protocol's
	 * {@code connectionMade} has run, or failed with the handshake's error
	 */
	CompletableFuture<Transport> startTls(Transport transport, StreamProtocol protocol, TlsOptions options,
			boolean serverSide);

	/**
	 * Creates a datagram endpoint, UDP or Unix domain: binds and/or connects a datagram socket as the options
	 * say, and creates the one protocol that serves it.
	 * @return a future completed once the protocol's {@code connectionMade} has run
	 */
	<P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>>
			createDatagramEndpoint(Supplier<P> factory, DatagramOptions options);

}
