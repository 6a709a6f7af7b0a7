package io.protoloop.tls.layer;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.TransportView;
import io.protoloop.transport.spi.BufferedStreamTransport;
import io.protoloop.transport.spi.ConnectionTracker;
import io.protoloop.transport.spi.StreamDelivery;

/**
 * The transport a TLS layer gives the application protocol, after CPython's {@code _SSLProtocolTransport}: one
 * more transport on the shared lifecycle. Its write buffer holds what the application wrote and the layer has
 * not encrypted yet (the layer stops encrypting while the socket's own buffer is over its watermark), so flow
 * control reaches the application through it; pausing its reading pauses the socket's. TLS cannot half-close.
 */
final class SslTransport extends BufferedStreamTransport implements Transport {

	private static final System.Logger logger = System.getLogger(SslTransport.class.getName());

	private static final String FATAL_ERROR = "Fatal error on TLS transport";

	private final SslProtocol layer;

	SslTransport(EventLoop loop, SslProtocol layer, StreamProtocol protocol, TransportSettings settings,
			SocketAddress local, SocketAddress peer) {
		// The layer reports its own failures (SSLException): send never throws an IOException.
		super(loop, protocol, settings, ConnectionTracker.NONE, local, peer, FATAL_ERROR);
		this.layer = layer;
	}

	@Override
	protected void callConnectionMade(StreamProtocol protocol) {
		protocol.connectionMade(this);
	}

	@Override
	protected void readingChanged(boolean reading) {
		this.layer.appReadingChanged(reading);
	}

	/** Nothing to stop here: the base class dropped the pending writes, and the socket ends in releaseResources. */
	@Override
	protected void stopIo() {
	}

	@Override
	protected void releaseResources(boolean graceful, Runnable released) {
		this.layer.shutdown(graceful, released);
	}

	// ---------------------------------------------------------------- writing

	/**
	 * Encrypts what it can of {@code data} while the socket takes more; the socket transport counts the bytes
	 * that go on the wire.
	 */
	@Override
	protected int send(ByteBuffer data) {
		if (!this.layer.canEncrypt()) {
			return 0;
		}
		int before = data.remaining();
		this.layer.encrypt(data);
		return before - data.remaining();
	}

	@Override
	public boolean canWriteEof() {
		return false;
	}

	@Override
	public void writeEof() {
		throw new UnsupportedOperationException("TLS cannot half-close: writeEof() is not supported "
				+ "(canWriteEof() is false); close() sends close_notify after what was written");
	}

	/** The socket takes data again: encrypts what waits, then resumes the protocol and ends a closing transport. */
	void socketWritable() {
		drain();
	}

	// ---------------------------------------------------------------- reading

	/** Hands decrypted bytes to the protocol; they are lent, as any received data. */
	void deliver(ByteBuffer plaintext) {
		recordRead(plaintext.remaining());
		StreamDelivery.deliver(getProtocol(), plaintext, this::protocolError);
	}

	/** The peer sent close_notify: the protocol hears of the end of stream, then the transport closes. */
	void closeNotifyReceived() {
		try {
			if (getProtocol().eofReceived()) {
				logger.log(Level.WARNING, () -> "eofReceived() returned true, which TLS ignores: it cannot "
						+ "half-close; closing " + this);
			}
		}
		catch (Throwable ex) {
			protocolError(ex, "eofReceived");
			return;
		}
		close();
	}

	/** The socket failed or the TLS session broke: the connection ends with {@code exc}. */
	void lost(Throwable exc) {
		if (!isConnectionLost()) {
			fatalError(exc, FATAL_ERROR);
		}
	}

	// ---------------------------------------------------------------- the public view and extra info

	/** The connection is the socket's: its view (id, wire bytes, whenClosed) reaches back here as the application's. */
	@Override
	public TransportView view() {
		return this.layer.socketTransport().view();
	}

	/** Adds the TLS keys to the socket transport's ({@code peername}, {@code sockname}, {@code socket}). */
	@Override
	public Object getExtraInfo(String name, Object defaultValue) {
		return switch (name) {
			case ExtraInfo.PEERCERT -> peerCertificates();
			case ExtraInfo.CIPHER -> this.layer.engine().getSession().getCipherSuite();
			case ExtraInfo.COMPRESSION -> null;
			case ExtraInfo.SSLCONTEXT -> this.layer.sslContext();
			case ExtraInfo.SSL_OBJECT -> this.layer.engine();
			default -> this.layer.socketTransport().getExtraInfo(name, defaultValue);
		};
	}

	private Object peerCertificates() {
		try {
			return this.layer.engine().getSession().getPeerCertificates();
		}
		catch (SSLPeerUnverifiedException ex) {
			return null;
		}
	}

}
