package io.protoloop.process.pipes;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.spi.AbstractTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.PendingWrites;
import io.protoloop.transport.spi.StreamDelivery;

/**
 * The read end of a pipe, after CPython's {@code _UnixReadPipeTransport}, on the shared lifecycle: what its
 * {@link PipeSource} reads goes to the protocol; at the end of the stream the protocol's {@code eofReceived}
 * runs and the pipe closes whatever it returns, since a pipe has no other direction to keep open.
 */
public final class ReadPipe extends AbstractTransport<StreamProtocol> implements ReadPipeTransport {

	private final PipeSource source;

	private boolean eof;

	/**
	 * Creates the pipe; nothing happens until {@code start}.
	 * @param loop the loop the pipe runs on
	 * @param protocol the protocol that gets the input
	 * @param source where the input comes from
	 * @param settings what the transport starts with
	 * @param tracker told when the transport starts and closes
	 */
	public ReadPipe(EventLoop loop, StreamProtocol protocol, PipeSource source, TransportSettings settings,
			ConnectionTracker tracker) {
		super(loop, protocol, PendingWrites.NONE, settings, tracker, null, null);
		this.source = source;
		source.attach(this);
	}

	@Override
	protected void callConnectionMade(StreamProtocol protocol) {
		protocol.connectionMade(this);
	}

	@Override
	public void setProtocol(StreamProtocol protocol) {
		attach(protocol);
	}

	@Override
	protected void readingChanged(boolean reading) {
		this.source.readingChanged(reading);
	}

	@Override
	protected boolean canRead() {
		return !this.eof;
	}

	@Override
	protected void stopIo() {
		this.source.readingChanged(false);
	}

	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		this.source.close(released);
	}

	// ---------------------------------------------------------------- what the source hands over

	/**
	 * The source read {@code data} (lent for the call): it goes to the protocol.
	 * @param data the bytes read
	 */
	public void received(ByteBuffer data) {
		recordRead(data.remaining());
		StreamDelivery.deliver(getProtocol(), data, this::protocolError);
	}

	/** The writer closed its end: the protocol hears of it, then the pipe closes. */
	public void ended() {
		this.eof = true;
		this.source.readingChanged(false);
		try {
			getProtocol().eofReceived();
		}
		catch (Throwable ex) {
			protocolError(ex, "eofReceived");
			return;
		}
		close();
	}

	/**
	 * Reading failed: the pipe ends with {@code exc}.
	 * @param exc why reading failed; the protocol sees it in {@code connectionLost}
	 */
	public void failed(IOException exc) {
		fatalError(exc, "Fatal read error on pipe transport");
	}

	/** Only {@code pipe}: a pipe has no addresses. */
	@Override
	public Object getExtraInfo(String name, Object defaultValue) {
		return ExtraInfo.PIPE.equals(name) ? this.source.pipe() : defaultValue;
	}

	@Override
	public String toString() {
		return "ReadPipe[" + this.source + (isClosing() ? ", closing" : (isReading() && canRead()) ? ", reading" : "")
				+ "]";
	}

}
