package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import io.protoloop.metrics.Guard;
import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.StreamDelivery;
import io.protoloop.transport.spi.WriteBuffer;

/**
 * The stream transport over a {@link StreamSocket}, TCP or Unix domain (a JDK channel or a native socket), after CPython's
 * {@code _SelectorSocketTransport}.
 *
 * <p>Writes go to the socket at once while nothing is buffered; only what the socket does not take is copied
 * into the write buffer, which drains with gathering writes when the socket becomes writable. Reads use the
 * loop's shared read buffer for a {@link Protocol} (no allocation per read) or the protocol's own buffer for a
 * {@link BufferedProtocol} (no copy). {@code sendfile} sends a file with {@link FileTransfer}, zero-copy.
 */
final class SocketTransport extends SelectorTransport<StreamProtocol> implements Transport {

	private final StreamSocket socket;

	private final SocketWrites writes;

	private final WriteBuffer buffer;

	/** Chosen when the protocol is set, so the read path does not test the protocol's type on every read. */
	private BufferedProtocol bufferedProtocol;

	private boolean eofReceived;

	private boolean eofWritten;

	private final Duration lingerTimeout;

	SocketTransport(SelectorEventLoop loop, StreamSocket socket, StreamProtocol protocol, TransportSettings settings,
			ConnectionTracker tracker) throws IOException {
		this(loop, socket, new SocketWrites(), protocol, settings, tracker);
	}

	private SocketTransport(SelectorEventLoop loop, StreamSocket socket, SocketWrites writes, StreamProtocol protocol,
			TransportSettings settings, ConnectionTracker tracker) throws IOException {
		super(loop, socket, socket, protocol, writes, settings, tracker, socket.localAddress(), remoteAddress(socket));
		this.socket = socket;
		this.writes = writes;
		this.buffer = writes.buffer;
		this.lingerTimeout = settings.lingerTimeout();
		setProtocol(protocol);
	}

	/** Returns the peer's address, or {@code null} when it cannot be read (a connection reset before we asked). */
	private static SocketAddress remoteAddress(StreamSocket socket) {
		try {
			return socket.remoteAddress();
		}
		catch (IOException ex) {
			return null; // as asyncio's 'peername' None
		}
	}

	@Override
	protected Object socketInfo() {
		return this.socket.extraInfo();
	}

	/**
	 * After a clean close, lingers ({@link LingeringClose}) unless the peer already ended its stream, so the
	 * peer receives everything written; an abort or an error closes at once.
	 */
	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		if (!graceful || this.eofReceived || this.lingerTimeout.isZero() || !this.socket.isOpen()) {
			super.releaseResources(graceful, released);
			return;
		}
		this.selectorLoop.untrack(this);
		LingeringClose.start(this.selectorLoop, this.socket, this.lingerTimeout, released);
	}

	@Override
	public void setProtocol(StreamProtocol protocol) {
		attach(protocol);
		this.bufferedProtocol = (protocol instanceof BufferedProtocol buffered) ? buffered : null;
	}

	@Override
	protected void callConnectionMade(StreamProtocol protocol) {
		protocol.connectionMade(this);
	}

	// ---------------------------------------------------------------- after a PROXY protocol header

	/** Ends the connection: its PROXY protocol header was missing, malformed or too long. */
	void proxyHeaderRejected(String why) {
		guardTripped(Guard.PROXY_HEADER, why);
	}

	/**
	 * Gives the connection to {@code protocol}, which then hears of it as made.
	 * @param client the real client a PROXY protocol header named, or {@code null} to keep the socket's peer
	 */
	void handOver(StreamProtocol protocol, SocketAddress client) {
		if (client != null) {
			proxiedFor(client);
		}
		setProtocol(protocol);
		try {
			protocol.connectionMade(this);
		}
		catch (Throwable ex) {
			callbackFailed(ex, "connectionMade");
		}
	}

	/** Delivers bytes already read (what followed a PROXY protocol header) to the protocol, as a read would. */
	void deliver(ByteBuffer data) {
		StreamDelivery.deliver(getProtocol(), data, this::protocolError);
	}

	// ---------------------------------------------------------------- reading

	@Override
	public void onReady(int readyOps) {
		if ((readyOps & SelectionKey.OP_WRITE) != 0 && hasInterest(SelectionKey.OP_WRITE)) {
			if (this.buffer.isEmpty() && this.writes.transfer != null) {
				this.writes.transfer.writable();
			}
			else {
				writeReady();
			}
		}
		if ((readyOps & SelectionKey.OP_READ) != 0 && hasInterest(SelectionKey.OP_READ)) {
			if (this.bufferedProtocol != null) {
				readIntoProtocolBuffer(this.bufferedProtocol);
			}
			else {
				readIntoLoopBuffer((Protocol) getProtocol());
			}
		}
	}

	private void readIntoLoopBuffer(Protocol protocol) {
		ByteBuffer data = this.selectorLoop.readBuffer();
		int n;
		try {
			n = this.socket.read(data);
		}
		catch (IOException ex) {
			fatalError(ex, "Fatal read error on socket transport");
			return;
		}
		if (n > 0) {
			recordRead(n);
			data.flip();
			try {
				protocol.dataReceived(data);
			}
			catch (Throwable ex) {
				protocolError(ex, "dataReceived");
			}
		}
		else if (n < 0) {
			readEof();
		}
	}

	private void readIntoProtocolBuffer(BufferedProtocol protocol) {
		ByteBuffer target;
		try {
			target = protocol.getBuffer(-1);
			if (target == null || !target.hasRemaining()) {
				throw new IllegalStateException("getBuffer() returned an empty buffer");
			}
		}
		catch (Throwable ex) {
			protocolError(ex, "getBuffer");
			return;
		}
		int n;
		try {
			n = this.socket.read(target);
		}
		catch (IOException ex) {
			fatalError(ex, "Fatal read error on socket transport");
			return;
		}
		if (n > 0) {
			recordRead(n);
			try {
				protocol.bufferUpdated(n);
			}
			catch (Throwable ex) {
				protocolError(ex, "bufferUpdated");
			}
		}
		else if (n < 0) {
			readEof();
		}
	}

	private void readEof() {
		this.eofReceived = true;
		setInterest(SelectionKey.OP_READ, false);
		boolean keepOpen;
		try {
			keepOpen = getProtocol().eofReceived();
		}
		catch (Throwable ex) {
			protocolError(ex, "eofReceived");
			return;
		}
		if (!keepOpen) {
			close();
		}
	}

	@Override
	protected boolean canRead() {
		return !this.eofReceived;
	}

	// ---------------------------------------------------------------- writing

	@Override
	public void write(ByteBuffer data) {
		if (!acceptsWrite(data.remaining())) {
			return;
		}
		if (this.buffer.isEmpty()) {
			try {
				recordWrite(this.socket.write(data));
			}
			catch (IOException ex) {
				fatalError(ex, "Fatal write error on socket transport");
				return;
			}
			if (!data.hasRemaining()) {
				return;
			}
			setInterest(SelectionKey.OP_WRITE, true);
		}
		this.buffer.add(data);
		maybePauseProtocol();
	}

	@Override
	public void write(byte[] data, int offset, int length) {
		// Staging the bytes in the loop's direct buffer replaces the JDK's own heap-to-direct copy and saves
		// a wrapper object, so a small write allocates nothing.
		ByteBuffer staged = this.selectorLoop.writeStagingBuffer();
		if (this.buffer.isEmpty() && length <= staged.capacity()) {
			staged.put(data, offset, length).flip();
			write(staged);
		}
		else {
			write(ByteBuffer.wrap(data, offset, length));
		}
	}

	@Override
	public void writelines(ByteBuffer... data) {
		long total = 0;
		for (ByteBuffer each : data) {
			total += each.remaining();
		}
		if (!acceptsWrite(total)) {
			return;
		}
		if (this.buffer.isEmpty()) {
			try {
				recordWrite(this.socket.write(data));
			}
			catch (IOException ex) {
				fatalError(ex, "Fatal write error on socket transport");
				return;
			}
		}
		for (ByteBuffer each : data) {
			this.buffer.add(each);
		}
		if (!this.buffer.isEmpty()) {
			setInterest(SelectionKey.OP_WRITE, true);
			maybePauseProtocol();
		}
	}

	/**
	 * Applies the rules every write shares: nothing during a sendfile or after writeEof(), nothing empty, nothing
	 * once lost.
	 */
	private boolean acceptsWrite(long length) {
		checkNoTransfer();
		if (this.eofWritten) {
			throw new IllegalStateException("Cannot call write() after writeEof()");
		}
		if (length == 0) {
			return false;
		}
		return acceptsWrites();
	}

	private void writeReady() {
		long written;
		ByteBuffer[] gather = this.selectorLoop.gatherArray();
		int count = 0;
		try {
			if (this.buffer.entryCount() == 1) {
				written = this.socket.write(this.buffer.first());
			}
			else {
				count = this.buffer.fill(gather);
				written = this.socket.write(gather, 0, count);
			}
		}
		catch (IOException ex) {
			fatalError(ex, "Fatal write error on socket transport");
			return;
		}
		finally {
			Arrays.fill(gather, 0, count, null);
		}
		this.buffer.consumed(written);
		recordWrite(written);
		maybeResumeProtocol(); // may write more
		if (this.buffer.isEmpty() && !isConnectionLost()) {
			if (this.writes.transfer != null) {
				return; // OP_WRITE stays on: the file goes next
			}
			setInterest(SelectionKey.OP_WRITE, false);
			if (isClosing()) {
				flushed();
			}
			else if (this.eofWritten) {
				shutdownOutput();
			}
		}
	}

	@Override
	public boolean canWriteEof() {
		return true;
	}

	@Override
	public void writeEof() {
		checkNoTransfer();
		if (isClosing() || this.eofWritten) {
			return;
		}
		this.eofWritten = true;
		if (this.buffer.isEmpty()) {
			shutdownOutput();
		}
	}

	private void shutdownOutput() {
		try {
			this.socket.shutdownOutput();
		}
		catch (IOException ex) {
			fatalError(ex, "Fatal error on socket shutdown");
		}
	}

	// ---------------------------------------------------------------- sendfile

	/**
	 * Sends part of {@code file} zero-copy, once the write buffer has drained; reading is paused meanwhile. See
	 * {@code EventLoop.sendfile}.
	 */
	CompletableFuture<Long> sendfile(FileChannel file, long offset, long count) {
		if (isClosing()) {
			return CompletableFuture.failedFuture(new IllegalStateException("Transport is closing"));
		}
		if (this.writes.transfer != null) {
			return CompletableFuture.failedFuture(new IllegalStateException("sendfile is already in progress"));
		}
		if (this.eofWritten) {
			return CompletableFuture.failedFuture(new IllegalStateException("Cannot call sendfile() after writeEof()"));
		}
		FileTransfer transfer = new FileTransfer(this, this.socket, file, offset, count, isReading());
		this.writes.transfer = transfer;
		pauseReading();
		setInterest(SelectionKey.OP_WRITE, true);
		return transfer.result;
	}

	private void checkNoTransfer() {
		if (this.writes.transfer != null) {
			throw new IllegalStateException("unable to write; sendfile is in progress");
		}
	}

	/** Counts what a transfer sent. */
	void recordSent(long bytes) {
		recordWrite(bytes);
	}

	/** The file went out: writing is the protocol's again, reading resumes, and a close() made meanwhile ends. */
	void transferDone(FileTransfer transfer) {
		this.writes.transfer = null;
		setInterest(SelectionKey.OP_WRITE, false);
		if (isClosing()) {
			flushed();
		}
		else if (transfer.resumeReading) {
			resumeReading();
		}
		transfer.complete();
	}

	/** Sending the file failed: the sendfile fails with the error, which then ends the connection. */
	void transferFailed(FileTransfer transfer, IOException error) {
		this.writes.transfer = null;
		transfer.fail(error);
		fatalError(error, "Fatal error in sendfile on socket transport");
	}

}
