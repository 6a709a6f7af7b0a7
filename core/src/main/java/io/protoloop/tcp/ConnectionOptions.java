package io.protoloop.tcp;

import java.net.InetSocketAddress;

import io.protoloop.metrics.TransportRecorder;
import io.protoloop.transport.WriteBufferLimits;

/**
 * Options of {@code createConnection}, {@code createUnixConnection} and {@code connectAcceptedSocket}.
 * @param localAddress the local address to bind before connecting, or {@code null} to let the system choose
 * @param keepAlive whether to set {@code SO_KEEPALIVE}
 * @param writeBufferLimits the watermarks the transport starts with
 * @param recorder told about the transport's events, for metrics
 */
public record ConnectionOptions(InetSocketAddress localAddress, boolean keepAlive,
		WriteBufferLimits writeBufferLimits, TransportRecorder recorder) {

	/** No local address, no keep-alive, the default watermarks, no metrics. */
	public static final ConnectionOptions DEFAULT = new ConnectionOptions(null, false, WriteBufferLimits.DEFAULT,
			TransportRecorder.NONE);

	/** Validates the options. */
	public ConnectionOptions {
		if (writeBufferLimits == null || recorder == null) {
			throw new IllegalArgumentException("writeBufferLimits and recorder must not be null");
		}
	}

	/** Returns a copy that binds {@code localAddress} before connecting. */
	public ConnectionOptions withLocalAddress(InetSocketAddress localAddress) {
		return new ConnectionOptions(localAddress, this.keepAlive, this.writeBufferLimits, this.recorder);
	}

	/** Returns a copy with {@code SO_KEEPALIVE} set as given. */
	public ConnectionOptions withKeepAlive(boolean keepAlive) {
		return new ConnectionOptions(this.localAddress, keepAlive, this.writeBufferLimits, this.recorder);
	}

	/** Returns a copy with other starting watermarks. */
	public ConnectionOptions withWriteBufferLimits(WriteBufferLimits writeBufferLimits) {
		return new ConnectionOptions(this.localAddress, this.keepAlive, writeBufferLimits, this.recorder);
	}

	/** Returns a copy whose transport reports to {@code recorder}. */
	public ConnectionOptions withRecorder(TransportRecorder recorder) {
		return new ConnectionOptions(this.localAddress, this.keepAlive, this.writeBufferLimits, recorder);
	}

}
