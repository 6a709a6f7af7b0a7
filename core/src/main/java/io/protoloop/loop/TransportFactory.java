package io.protoloop.loop;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.protoloop.process.SubprocessOptions;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.Server;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.WritePipeTransport;
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
	 * @param factory makes the protocol of each accepted connection
	 * @param options where and how to listen: hosts, port, backlog, socket options, guards
	 * ({@link ServerOptions#DEFAULT} for asyncio's defaults)
	 * @return a future completed with the server once it is bound, or with the bind error
	 */
	CompletableFuture<Server> createServer(Supplier<? extends StreamProtocol> factory, ServerOptions options);

	/**
	 * Creates a server listening on a Unix domain socket at {@code path} (a stale socket file there is replaced;
	 * the file is removed when the server closes); see {@link #createServer}.
	 * @param factory makes the protocol of each accepted connection
	 * @param path the socket file's path
	 * @param options the backlog, the socket file's permissions, the guards and the transport settings
	 * @return a future of the server, completed once it listens
	 */
	CompletableFuture<Server> createUnixServer(Supplier<? extends StreamProtocol> factory, Path path,
			ServerOptions options);

	/**
	 * Opens a TCP connection to {@code host:port}: resolves the host off the loop thread, then tries each
	 * address in turn until one connects.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param host the host name or address to connect to
	 * @param port the port to connect to
	 * @param options the local address, {@code SO_KEEPALIVE} and transport settings ({@link ConnectionOptions#DEFAULT}:
	 * any local address, no keep-alive, default settings)
	 * @return a future completed once the protocol's {@code connectionMade} has run
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, String host, int port, ConnectionOptions options);

	/**
	 * Opens a TCP connection to {@code host:port} with default options; see {@link #createConnection}.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param host the host name or address to connect to
	 * @param port the port to connect to
	 * @return a future of the transport and its protocol, completed once they are connected
	 */
	default <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, String host, int port) {
		return createConnection(factory, host, port, ConnectionOptions.DEFAULT);
	}

	/**
	 * Wraps an already connected socket channel in a transport: asyncio's {@code create_connection(sock=...)}.
	 * Same as {@link #connectAcceptedSocket}.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param channel the connected socket channel
	 * @param options {@code SO_KEEPALIVE} and the transport settings ({@code localAddress} does not apply: the channel
	 * is connected already)
	 * @return a future of the transport and its protocol, completed once they are connected
	 */
	default <P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createConnection(
			Supplier<P> factory, SocketChannel channel, ConnectionOptions options) {
		return connectAcceptedSocket(factory, channel, options);
	}

	/**
	 * Opens a connection to the Unix domain socket at {@code path}.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param path the socket file's path
	 * @param options the transport settings ({@link ConnectionOptions#DEFAULT} for the defaults)
	 * @return a future of the transport and its protocol, completed once they are connected
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> createUnixConnection(
			Supplier<P> factory, Path path, ConnectionOptions options);

	/**
	 * Wraps a socket channel that is already connected (accepted elsewhere, or one end of a pair) in a
	 * transport.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param channel the connected socket channel
	 * @param options {@code SO_KEEPALIVE} and the transport settings ({@code localAddress} does not apply: the channel
	 * is connected already)
	 * @return a future of the transport and its protocol, completed once they are connected
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<Transport, P>> connectAcceptedSocket(
			Supplier<P> factory, SocketChannel channel, ConnectionOptions options);

	/**
	 * Upgrades a live stream transport to TLS in place, asyncio's {@code start_tls}: for STARTTLS-style protocols
	 * (SMTP, IMAP, PostgreSQL) that switch mid-stream. What was written before is sent before the handshake;
	 * the old transport must not be used afterwards. Call on the transport's loop thread.
	 * @param transport a plain stream transport
	 * @param protocol the protocol that gets the TLS transport
	 * @param options the {@code SSLContext}, the server name to verify and the handshake and shutdown timeouts
	 * @param serverSide whether this end is the TLS server
	 * @return a future completed with the new transport once the handshake is done and the protocol's
	 * {@code connectionMade} has run, or failed with the handshake's error
	 */
	CompletableFuture<Transport> startTls(Transport transport, StreamProtocol protocol, TlsOptions options,
			boolean serverSide);

	/**
	 * Creates a datagram endpoint, UDP or Unix domain: binds and/or connects a datagram socket as the options
	 * say, and creates the one protocol that serves it.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param options the local and remote addresses, the socket options and the transport settings
	 * @return a future completed once the protocol's {@code connectionMade} has run
	 */
	<P extends DatagramProtocol> CompletableFuture<TransportAndProtocol<DatagramTransport, P>>
			createDatagramEndpoint(Supplier<P> factory, DatagramOptions options);

	// ---------------------------------------------------------------- child processes and pipes

	/**
	 * Starts a child process running {@code command} (the program, then its arguments; no shell), asyncio's
	 * {@code subprocess_exec}. Its standard streams are connected as the options say; each {@code Stdio.PIPE} gets
	 * a pipe transport ({@link SubprocessTransport#getPipeTransport(int)}).
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param command the program, then its arguments, one element each: nothing is quoted or split
	 * @param options how the standard streams are connected, the environment and the working directory
	 * ({@link SubprocessOptions#DEFAULT}: three pipes, the parent's environment and directory)
	 * @return a future completed once the protocol's {@code connectionMade} has run, or failed with the
	 * {@link java.io.IOException} of a child that could not start (no such program, say)
	 */
	<P extends SubprocessProtocol> CompletableFuture<TransportAndProtocol<SubprocessTransport, P>> subprocessExec(
			Supplier<P> factory, List<String> command, SubprocessOptions options);

	/**
	 * Starts {@code command} with every standard stream a pipe; see
	 * {@link #subprocessExec(Supplier, List, SubprocessOptions)}.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param command the program, then its arguments
	 * @return a future of the transport and its protocol, completed once the process has started
	 */
	default <P extends SubprocessProtocol> CompletableFuture<TransportAndProtocol<SubprocessTransport, P>>
			subprocessExec(Supplier<P> factory, String... command) {
		return subprocessExec(factory, List.of(command), SubprocessOptions.DEFAULT);
	}

	/**
	 * Starts {@code /bin/sh -c command}, asyncio's {@code subprocess_shell}: the shell parses the command line,
	 * so quote what comes from users. See {@link #subprocessExec(Supplier, List, SubprocessOptions)}.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param command the command line the shell runs
	 * @param options as for {@link #subprocessExec(Supplier, List, SubprocessOptions)}
	 * @return a future of the transport and its protocol, completed once the process has started
	 */
	default <P extends SubprocessProtocol> CompletableFuture<TransportAndProtocol<SubprocessTransport, P>>
			subprocessShell(Supplier<P> factory, String command, SubprocessOptions options) {
		return subprocessExec(factory, List.of("/bin/sh", "-c", command), options);
	}

	/**
	 * Starts {@code /bin/sh -c command} with every standard stream a pipe; see
	 * {@link #subprocessShell(Supplier, String, SubprocessOptions)}.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param command the command line the shell runs
	 * @return a future of the transport and its protocol, completed once the process has started
	 */
	default <P extends SubprocessProtocol> CompletableFuture<TransportAndProtocol<SubprocessTransport, P>>
			subprocessShell(Supplier<P> factory, String command) {
		return subprocessShell(factory, command, SubprocessOptions.DEFAULT);
	}

	/**
	 * Reads the source end of a {@link Pipe} with a streaming protocol, asyncio's {@code connect_read_pipe}. The
	 * channel is selectable, so no thread is involved. The protocol sees the data, then {@code eofReceived} and
	 * {@code connectionLost(null)} when the sink is closed. {@code getExtraInfo("pipe")} returns the channel.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param pipe the pipe end, stream or channel to use
	 * @return a future completed once the protocol's {@code connectionMade} has run
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, Pipe.SourceChannel pipe);

	/**
	 * Reads any {@link InputStream} with a streaming protocol. Java's streams block, so a daemon thread does the
	 * reads and hands each chunk to the loop; it reads no further while the transport is paused, so a paused
	 * reader holds at most two chunks. Closing the transport closes the stream; a thread blocked in a read of a
	 * stream that closing does not interrupt ends with that read. {@code getExtraInfo("pipe")} returns the stream.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param pipe the pipe end, stream or channel to use
	 * @return a future of the transport and its protocol, completed once they are connected
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, InputStream pipe);

	/**
	 * Reads the named pipe (FIFO) at {@code fifo}, as {@link #connectReadPipe(Supplier, InputStream)}. Opening a
	 * FIFO waits for a writer, so it is opened off the loop thread and the future completes once a writer has
	 * opened it too; closing the transport interrupts a blocked read.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param fifo the named pipe's path
	 * @return a future of the transport and its protocol, completed once they are connected
	 * @throws IllegalArgumentException (in the future) if {@code fifo} is a regular file or a directory
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<ReadPipeTransport, P>> connectReadPipe(
			Supplier<P> factory, Path fifo);

	/**
	 * Writes to the sink end of a {@link Pipe}, asyncio's {@code connect_write_pipe}, with the write flow control
	 * of every transport. The channel is selectable, so no thread is involved. {@code getExtraInfo("pipe")}
	 * returns the channel.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param pipe the pipe end, stream or channel to use
	 * @return a future completed once the protocol's {@code connectionMade} has run
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, Pipe.SinkChannel pipe);

	/**
	 * Writes to any {@link OutputStream}: a daemon thread does the blocking writes, one chunk at a time, and what
	 * it has not taken yet stays in the transport's write buffer, under its watermarks. The stream is flushed
	 * after each chunk and closed with the transport. A thread blocked in a write to a reader that never reads
	 * ends when that reader reads or goes away.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param pipe the pipe end, stream or channel to use
	 * @return a future of the transport and its protocol, completed once they are connected
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, OutputStream pipe);

	/**
	 * Writes to the named pipe (FIFO) at {@code fifo}, as {@link #connectWritePipe(Supplier, OutputStream)}. Opening
	 * a FIFO waits for a reader, so it is opened off the loop thread.
	 * @param <P> the protocol's type
	 * @param factory makes the protocol of each connection
	 * @param fifo the named pipe's path
	 * @return a future of the transport and its protocol, completed once they are connected
	 * @throws IllegalArgumentException (in the future) if {@code fifo} is a regular file or a directory
	 */
	<P extends StreamProtocol> CompletableFuture<TransportAndProtocol<WritePipeTransport, P>> connectWritePipe(
			Supplier<P> factory, Path fifo);

	// ---------------------------------------------------------------- sendfile

	/**
	 * Sends {@code count} bytes of {@code file} from {@code offset} over {@code transport}, asyncio's
	 * {@code sendfile}. On a plain socket transport the kernel copies the file to the socket
	 * ({@link FileChannel#transferTo}, zero-copy) once the write buffer has drained, sending no faster than the
	 * peer reads; over other transports (TLS) the file is read in chunks off the loop thread and written, waiting
	 * for {@code resumeWriting} whenever the transport pauses writing. Reading is paused meanwhile, and
	 * {@code write} fails with {@link IllegalStateException} while a zero-copy transfer runs. The file's position
	 * is left after the last byte sent, as asyncio leaves it.
	 * @param count how many bytes to send, or a negative number for everything up to the end of the file
	 * @param transport the transport to send over
	 * @param file the file to send
	 * @param offset where in the file to start
	 * @return a future completed with the number of bytes sent, fewer than {@code count} if the file ended first;
	 * failed with {@link IllegalStateException} if the transport is closing, or with the error that ended the
	 * connection meanwhile
	 * @throws IllegalArgumentException if {@code offset} is negative or {@code count} is 0
	 */
	CompletableFuture<Long> sendfile(Transport transport, FileChannel file, long offset, long count);

	/**
	 * Sends all of {@code file}; see {@link #sendfile(Transport, FileChannel, long, long)}.
	 * @param transport the transport to send over
	 * @param file the file to send
	 * @return a future of the number of bytes sent
	 */
	default CompletableFuture<Long> sendfile(Transport transport, FileChannel file) {
		return sendfile(transport, file, 0, -1);
	}

}
