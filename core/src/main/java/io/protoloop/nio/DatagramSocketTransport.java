package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.GuardException;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.DatagramQueue;
import io.protoloop.udp.DatagramOptions;

/**
 * The datagram transport over a {@link DatagramSocket} (a JDK channel or a native socket), after CPython's
 * {@code _SelectorDatagramTransport}.
 *
 * <p>A datagram is sent at once when nothing is queued; otherwise it is copied into the queue, which drains
 * when the socket becomes writable. Send and receive errors go to the protocol's {@code errorReceived} and the
 * endpoint keeps working. Reads take several datagrams per wake-up, up to a fair limit, into the loop's shared
 * read buffer.
 */
final class DatagramSocketTransport extends SelectorTransport<DatagramProtocol> implements DatagramTransport {

	/** Most datagrams read per wake-up, so one busy endpoint cannot starve the other channels of its loop. */
	static final int MAX_DATAGRAMS_PER_READ = 32;

	/** Most queued datagrams sent per wake-up, for the same reason. */
	static final int MAX_DATAGRAMS_PER_WRITE = 64;

	private final DatagramSocket socket;

	private final DatagramQueue queue;

	/** The connected peer, or {@code null} for an unconnected endpoint. */
	private final SocketAddress remote;

	private final int receiveBufferSize;

	private final Sender sender;

	DatagramSocketTransport(SelectorEventLoop loop, DatagramSocket socket, DatagramProtocol protocol,
			DatagramOptions options) throws IOException {
		this(loop, socket, new DatagramQueue(), protocol, options, null);
	}

	/**
	 * Creates a transport whose sends go through {@code sender} (the socket when {@code null}). Tests use it to
	 * make the socket run out of room, which a loopback socket never does: Linux frees a datagram's send-buffer
	 * space as soon as loopback takes it.
	 */
	DatagramSocketTransport(SelectorEventLoop loop, DatagramSocket socket, DatagramQueue queue,
			DatagramProtocol protocol, DatagramOptions options, Sender sender) throws IOException {
		super(loop, socket, socket, protocol, queue, options.settings(), ConnectionTracker.NONE,
				socket.localAddress(), socket.remoteAddress());
		this.socket = socket;
		this.queue = queue;
		this.remote = socket.remoteAddress();
		this.receiveBufferSize = options.receiveBufferSize();
		this.sender = (sender != null) ? sender : socket::send;
	}

	/** Sends one datagram, returning 0 when the socket has no room for it; as {@link DatagramSocket#send}. */
	@FunctionalInterface
	interface Sender {

		int send(ByteBuffer data, SocketAddress target) throws IOException;

	}

	/** {@return the socket itself (a native one) or its JDK channel} */
	@Override
	protected Object socketInfo() {
		return this.socket.extraInfo();
	}

	@Override
	public void setProtocol(DatagramProtocol protocol) {
		attach(protocol);
	}

	@Override
	protected void callConnectionMade(DatagramProtocol protocol) {
		protocol.connectionMade(this);
	}

	@Override
	public void onReady(int readyOps) {
		if ((readyOps & SelectionKey.OP_WRITE) != 0 && hasInterest(SelectionKey.OP_WRITE)) {
			writeReady();
		}
		if ((readyOps & SelectionKey.OP_READ) != 0) {
			readReady();
		}
	}

	// ---------------------------------------------------------------- receiving

	private void readReady() {
		for (int i = 0; i < MAX_DATAGRAMS_PER_READ && hasInterest(SelectionKey.OP_READ); i++) {
			// One byte more than the largest datagram accepted, so a larger one shows instead of being truncated.
			ByteBuffer data = this.selectorLoop.readBuffer().limit(this.receiveBufferSize + 1);
			SocketAddress sender;
			try {
				sender = this.socket.receive(data);
			}
			catch (IOException ex) {
				errorReceived(ex);
				return;
			}
			if (sender == null) {
				return;
			}
			data.flip();
			if (data.remaining() > this.receiveBufferSize) {
				errorReceived(new IOException("A datagram from " + sender + " is larger than the receive buffer ("
						+ this.receiveBufferSize + " bytes) and was dropped; raise DatagramOptions.receiveBufferSize"));
				continue;
			}
			recordDatagramRead(data.remaining());
			try {
				getProtocol().datagramReceived(data, sender);
			}
			catch (Throwable ex) {
				callbackFailed(ex, "datagramReceived");
			}
		}
	}

	private void errorReceived(IOException exc) {
		recordErrorReceived();
		try {
			getProtocol().errorReceived(exc);
		}
		catch (Throwable ex) {
			callbackFailed(ex, "errorReceived");
		}
	}

	// ---------------------------------------------------------------- sending

	@Override
	public void sendto(ByteBuffer data) {
		sendto(data, null);
	}

	@Override
	public void sendto(ByteBuffer data, SocketAddress addr) {
		SocketAddress destination = DatagramQueue.destination(this.remote, addr);
		// A connected socket sends to its peer without naming it (DatagramSocket.send).
		SocketAddress target = (this.remote != null) ? null : destination;
		if (!acceptsWrites()) {
			return;
		}
		IOException unsendable = DatagramQueue.unsendable(this.remote, data);
		if (unsendable != null) {
			errorReceived(unsendable);
			return;
		}
		if (this.queue.isEmpty()) {
			try {
				int size = data.remaining();
				if (this.sender.send(data, target) > 0 || size == 0) {
					recordDatagramWrite(size);
					return;
				}
			}
			catch (IOException ex) {
				errorReceived(ex);
				return;
			}
			setInterest(SelectionKey.OP_WRITE, true);
		}
		GuardException overCap = refuseOverCap(data.remaining() + DatagramQueue.HEADER_SIZE);
		if (overCap != null) {
			errorReceived(overCap);
			return;
		}
		this.queue.add(data, target);
		maybePauseProtocol();
	}

	private void writeReady() {
		for (int i = 0; i < MAX_DATAGRAMS_PER_WRITE; i++) {
			DatagramQueue.Datagram next = this.queue.peek();
			if (next == null) {
				break;
			}
			try {
				int size = next.data().remaining();
				if (this.sender.send(next.data(), next.address()) == 0 && size > 0) {
					break;
				}
				this.queue.remove();
				recordDatagramWrite(size);
			}
			catch (IOException ex) {
				this.queue.remove();
				errorReceived(ex);
				if (isConnectionLost()) {
					return;
				}
			}
		}
		maybeResumeProtocol(); // may send more
		if (this.queue.isEmpty() && !isConnectionLost()) {
			setInterest(SelectionKey.OP_WRITE, false);
			flushed();
		}
	}

}
