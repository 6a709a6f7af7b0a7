package io.protoloop.bench;

/**
 * An echo server under test, listening on 127.0.0.1 with a single event-loop thread: what the benchmark needs
 * from each implementation, so {@link EchoServerMain} treats Protoloop and Netty alike.
 */
public interface EchoServer extends AutoCloseable {

	/** Returns the port the server is bound to. */
	int port();

	/** Returns the id of the event-loop thread, whose allocation counter the benchmark reads. */
	long loopThreadId() throws Exception;

	/** Returns the number of connections currently open. Thread-safe. */
	int openConnections();

	/** Stops the server and its loop thread. */
	@Override
	void close();

}
