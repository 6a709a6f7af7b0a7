package io.protoloop.boot.actuate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.ProtocolLayer;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportView;
import io.protoloop.transport.WriteBufferLimits;

/**
 * A stand-in for TLS: a layer on the socket's transport that gives the application protocol a transport of its
 * own ({@link Upper}) and forwards bytes both ways unchanged. Like TLS, it has something to say on the wire
 * before the socket closes ({@link #GOODBYE}, for close_notify), so a close that bypasses the layer shows.
 */
class WrappingLayer implements Protocol, ProtocolLayer {

	/** Written by the layer just before it closes the socket. */
	static final String GOODBYE = "LAYER-BYE\n";

	/** The protocol above the layer. */
	private final Protocol application;

	/** The application's transport, from {@code connectionMade} on. */
	private Upper upper;

	WrappingLayer(Protocol application) {
		this.application = application;
	}

	@Override
	public void connectionMade(Transport socket) {
		this.upper = new Upper(socket);
		this.application.connectionMade(this.upper);
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		this.application.dataReceived(data);
	}

	@Override
	public boolean eofReceived() {
		return this.application.eofReceived();
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.application.connectionLost(exc);
	}

	@Override
	public void pauseWriting() {
		this.application.pauseWriting();
	}

	@Override
	public void resumeWriting() {
		this.application.resumeWriting();
	}

	@Override
	public Transport upperTransport() {
		return this.upper;
	}

	/** The application's transport: passes everything to the socket's, and says goodbye before closing it. */
	private final class Upper implements Transport {

		/** The socket's transport, which the layer sits on. */
		private final Transport socket;

		Upper(Transport socket) {
			this.socket = socket;
		}

		@Override
		public void close() {
			if (!this.socket.isClosing()) {
				this.socket.write(GOODBYE.getBytes(StandardCharsets.US_ASCII));
				this.socket.close();
			}
		}

		@Override
		public void abort() {
			this.socket.abort();
		}

		@Override
		public boolean isClosing() {
			return this.socket.isClosing();
		}

		@Override
		public void write(ByteBuffer data) {
			this.socket.write(data);
		}

		@Override
		public void write(byte[] data, int offset, int length) {
			this.socket.write(data, offset, length);
		}

		@Override
		public void writelines(ByteBuffer... data) {
			this.socket.writelines(data);
		}

		@Override
		public boolean canWriteEof() {
			return false;
		}

		@Override
		public void writeEof() {
			throw new UnsupportedOperationException("A layered transport cannot half-close");
		}

		@Override
		public boolean isReading() {
			return this.socket.isReading();
		}

		@Override
		public void pauseReading() {
			this.socket.pauseReading();
		}

		@Override
		public void resumeReading() {
			this.socket.resumeReading();
		}

		@Override
		public long getWriteBufferSize() {
			return this.socket.getWriteBufferSize();
		}

		@Override
		public WriteBufferLimits getWriteBufferLimits() {
			return this.socket.getWriteBufferLimits();
		}

		@Override
		public void setWriteBufferLimits(int high, int low) {
			this.socket.setWriteBufferLimits(high, low);
		}

		@Override
		public Object getExtraInfo(String name, Object defaultValue) {
			return this.socket.getExtraInfo(name, defaultValue);
		}

		@Override
		public Protocol getProtocol() {
			return WrappingLayer.this.application;
		}

		@Override
		public void setProtocol(StreamProtocol protocol) {
			throw new UnsupportedOperationException("The stand-in layer keeps its application protocol");
		}

		@Override
		public EventLoop getLoop() {
			return this.socket.getLoop();
		}

		/** The connection is the socket's: one view, whichever transport it is reached from. */
		@Override
		public TransportView view() {
			return this.socket.view();
		}

	}

}
