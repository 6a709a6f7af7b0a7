package io.protoloop.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.protoloop.metrics.Guard;
import io.protoloop.tcp.ServerOptions;

/**
 * A server's connection limits: the most connections open at once, in total and per client address. A
 * connection over a limit is closed as soon as it is accepted, before any protocol exists for it, counted
 * ({@link Guard}) and logged at most once per period. Admission runs on the accepting loop; the connections end
 * on any loop of the group, so the counts are atomic.
 */
final class ConnectionLimits {

	private static final System.Logger logger = System.getLogger(ConnectionLimits.class.getName());

	private final SelectorEventLoop loop;

	private final ServerOptions options;

	private final Object server;

	/** Connections admitted and not yet closed: what {@code maxConnections} bounds. */
	private final AtomicInteger admitted = new AtomicInteger();

	/** Connections admitted per client address, when {@code maxConnectionsPerAddress} is set. */
	private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

	private final RateLimitedLog refusals = new RateLimitedLog(RateLimitedLog.PERIOD);

	ConnectionLimits(SelectorEventLoop loop, ServerOptions options, Object server) {
		this.loop = loop;
		this.options = options;
		this.server = server;
	}

	/** Returns the client address {@code socket} counts against, or {@code null} when there is no such limit. */
	InetAddress addressToCount(StreamSocket socket) {
		if (this.options.maxConnectionsPerAddress() == 0) {
			return null;
		}
		try {
			return (socket.remoteAddress() instanceof InetSocketAddress inet) ? inet.getAddress() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Counts {@code socket} against the limits, or closes it at once when it is over one.
	 * @param address what {@link #addressToCount} returned for it
	 * @return {@code true} if it was admitted; it must then be {@link #released} when it ends
	 */
	boolean admit(StreamSocket socket, InetAddress address) {
		int max = this.options.maxConnections();
		if (this.admitted.incrementAndGet() > max && max > 0) {
			this.admitted.decrementAndGet();
			refuse(socket, Guard.MAX_CONNECTIONS, "the server has " + max + " connections (maxConnections)");
			return false;
		}
		int perAddressMax = this.options.maxConnectionsPerAddress();
		if (address != null && this.perAddress.merge(address, 1, Integer::sum) > perAddressMax) {
			released(address);
			refuse(socket, Guard.MAX_CONNECTIONS_PER_ADDRESS, address.getHostAddress() + " has " + perAddressMax
					+ " connections (maxConnectionsPerAddress)");
			return false;
		}
		return true;
	}

	/** An admitted connection is gone. */
	void released(InetAddress address) {
		this.admitted.decrementAndGet();
		if (address != null) {
			this.perAddress.computeIfPresent(address, (key, count) -> (count > 1) ? count - 1 : null);
		}
	}

	private void refuse(StreamSocket socket, Guard guard, String why) {
		this.options.recorder().guardTripped(guard);
		SocketServer.closeQuietly(socket);
		long count = this.refusals.occurred(this.loop.time());
		if (count > 0) {
			logger.log(Level.WARNING, () -> "Refused " + count + " connection(s) to " + this.server
					+ " since the last report: " + why);
		}
	}

}
