package io.protoloop.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import io.protoloop.protocol.BaseProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.PendingWrites;

/**
 * What the selector-based transports add to the shared lifecycle: a channel registered with the loop's
 * selector, and the interest set that reading and writing turn on and off.
 * @param <P> the kind of protocol attached
 */
abstract class SelectorTransport<P extends BaseProtocol> extends AbstractTransport<P>
		implements SelectorHandler, LoopResource {

	private static final System.Logger logger = System.getLogger(SelectorTransport.class.getName());

	protected final SelectorEventLoop selectorLoop;

	protected final SelectableChannel channel;

	private final SelectionKey key;

	private int interestOps;

	/** Registers {@code channel} with the loop (no interest yet). Must run on the loop thread. */
	SelectorTransport(SelectorEventLoop loop, SelectableChannel channel, P protocol, PendingWrites pending,
			TransportSettings settings, ConnectionTracker tracker) throws IOException {
		super(loop, protocol, pending, settings, tracker, ((NetworkChannel) channel).getLocalAddress(),
				remoteAddress(channel));
		this.selectorLoop = loop;
		this.channel = channel;
		channel.configureBlocking(false);
		this.key = loop.register(channel, 0, this);
		loop.track(this);
	}

	/** Returns the peer's address, or {@code null} for an unconnected channel or when it cannot be read. */
	private static SocketAddress remoteAddress(SelectableChannel channel) {
		try {
			if (channel instanceof SocketChannel socket) {
				return socket.getRemoteAddress();
			}
			if (channel instanceof DatagramChannel datagram) {
				return datagram.getRemoteAddress();
			}
		}
		catch (IOException ex) {
			// A channel reset before we asked: the address is unknown, as asyncio's 'peername' None.
		}
		return null;
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

	/** Adds {@code socket} (the channel) to the keys of {@link AbstractTransport#getExtraInfo}. */
	@Override
	public Object getExtraInfo(String name, Object defaultValue) {
		if (ExtraInfo.SOCKET.equals(name)) {
			return this.channel;
		}
		return super.getExtraInfo(name, defaultValue);
	}

}
