package io.protoloop.tcp;

import java.net.InetSocketAddress;

import io.protoloop.transport.WriteBufferLimits;

/**
 * Options of {@code createConnection}, {@code createUnixConnection} and {@code connectAcceptedSocket}.
 * @param localAddress the local address to bind before connecting, or {@code null} to let the system choose
 * @param keepAlive whether to set {@code SO_KEEPALIVE}
 * @param writeBufferLimits the watermarks the transport starts with
 */
public record ConnectionOptions(InetSocketAddress localAddress, boolean keepAlive,
		WriteBufferLimits writeBufferLimits) {

	/** No local address, no keep-alive, the default watermarks. */
	public static final ConnectionOptions DEFAULT = new ConnectionOptions(null, false, WriteBufferLimits.DEFAULT);

	/** Validates the options. */
	public ConnectionOptions {
		if (writeBufferLimits == null) {
			throw new IllegalArgumentException("writeBufferLimits must not be null");
		}
	}

	/** Returns a copy that binds {@code localAddress} before connecting. */
	public ConnectionOptions withLocalAddress(InetSocketAddress localAddress) {
		return new ConnectionOptions(localAddress, this.keepAlive, this.writeBufferLimits);
	}

	/** Returns a copy with {@code SO_KEEPALIVE} set as given. */
	public ConnectionOptions withKeepAlive(boolean keepAlive) {
		return new ConnectionOptions(this.localAddress, keepAlive, this.writeBufferLimits);
	}

	/** Returns a copy with other starting watermarks. */
	public ConnectionOptions withWriteBufferLimits(WriteBufferLimits writeBufferLimits) {
		return new ConnectionOptions(this.localAddress, this.keepAlive, writeBufferLimits);
	}

}
