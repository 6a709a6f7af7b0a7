package io.protoloop.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.SelectionKey;

import io.protoloop.protocol.BaseProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.PendingWrites;

/**
 * What the selector-based transports add to the shared lifecycle: a socket registered with the loop (a JDK
 * channel with its selector, or a native socket with its epoll set), and the interest set that reading and
 * writing turn on and off.
 * @param <P> the kind of protocol attached
 */
abstract class SelectorTransport<P extends BaseProtocol> extends AbstractTransport<P>
		implements SelectorHandler, LoopResource {

	private static final System.Logger logger = System.getLogger(SelectorTransport.class.getName());

	protected final SelectorEventLoop selectorLoop;

	private final Channel channel;

	private final PollKey key;

	private int interestOps;

	/**
	 * Registers {@code channel} with the loop (no interest yet). Must run on the loop thread.
	 * @param pollable how {@code channel} registers: itself, or its JDK selection key
	 * @param local the socket's local address
	 * @param remote the peer's address, or {@code null} for an unconnected socket or when it cannot be read
	 */
	SelectorTransport(SelectorEventLoop loop, Channel channel, Pollable pollable, P protocol, PendingWrites pending,
			TransportSettings settings, ConnectionTracker tracker, SocketAddress local, SocketAddress remote)
			throws IOException {
		super(loop, protocol, pending, settings, tracker, local, remote);
		this.selectorLoop = loop;
		this.channel = channel;
		this.key = pollable.register(loop, 0, this);
		loop.track(this);
	}

	/** Turns an interest in {@code op} on or off, touching the selection key only when it changes. */
	final void setInterest(int op, boolean on) {
		int ops = on ? (this.interestOps | op) : (this.interestOps & ~op);
		if (ops != this.interestOps) {
			this.interestOps = ops;
			if (this.key.isValid()) {
				this.key.interestOps(ops);
			}
		}
	}

	/** Returns {@code true} if the transport currently waits for {@code op}. */
	final boolean hasInterest(int op) {
		return (this.interestOps & op) != 0;
	}

	@Override
	protected void readingChanged(boolean reading) {
		setInterest(SelectionKey.OP_READ, reading);
	}

	@Override
	protected void stopIo() {
		setInterest(this.interestOps, false);
	}

	/** Closes the channel at once; a stream socket may linger first (see {@link SocketTransport}). */
	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		closeChannel();
		released.run();
	}

	/** Closes the channel and forgets it. */
	final void closeChannel() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "Error closing " + this, ex);
		}
		this.selectorLoop.untrack(this);
	}

	@Override
	public void closeWithLoop() {
		abort();
	}

	/** Adds {@code socket} ({@link #socketInfo()}) to the keys of {@link AbstractTransport#getExtraInfo}. */
	@Override
	public Object getExtraInfo(String name, Object defaultValue) {
		if (ExtraInfo.SOCKET.equals(name)) {
			return socketInfo();
		}
		return super.getExtraInfo(name, defaultValue);
	}

	/** {@return what the {@code socket} extra info returns: the channel, unless a subclass says otherwise} */
	protected Object socketInfo() {
		return this.channel;
	}

}
