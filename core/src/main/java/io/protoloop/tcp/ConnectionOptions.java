package io.protoloop.tcp;

import java.net.InetSocketAddress;
import java.util.Objects;

import io.protoloop.metrics.TransportRecorder;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WriteBufferLimits;

/**
 * Options of {@code createConnection}, {@code createUnixConnection} and {@code connectAcceptedSocket}.
 * @param localAddress the local address to bind before connecting, or {@code null} to let the system choose
 * @param keepAlive whether to set {@code SO_KEEPALIVE}
 * @param settings what the transport is set up with: its starting watermarks, the recorder told about its events
 */
public record ConnectionOptions(InetSocketAddress localAddress, boolean keepAlive, TransportSettings settings) {

	/** No local address, no keep-alive, the default watermarks, no metrics. */
	public static final ConnectionOptions DEFAULT = new ConnectionOptions(null, false, TransportSettings.DEFAULT);

	/**
	 * Validates the options.
	 * @param localAddress the local address to bind before connecting, or {@code null} to let the system choose
	 * @param keepAlive whether to set {@code SO_KEEPALIVE}
	 * @param settings what the transport is set up with: its starting watermarks, the recorder told about its events
	 */
	public ConnectionOptions {
		Objects.requireNonNull(settings, "settings");
	}

	/**
	 * {@return the watermarks the transport starts with}
	 */
	public WriteBufferLimits writeBufferLimits() {
		return this.settings.writeBufferLimits();
	}

	/**
	 * {@return the recorder told about the transport's events}
	 */
	public TransportRecorder recorder() {
		return this.settings.recorder();
	}

	/**
	 * {@return a copy that binds {@code localAddress} before connecting}
	 * @param localAddress the local address to bind before connecting, or {@code null} to let the system choose
	 */
	public ConnectionOptions withLocalAddress(InetSocketAddress localAddress) {
		return new ConnectionOptions(localAddress, this.keepAlive, this.settings);
	}

	/**
	 * {@return a copy with {@code SO_KEEPALIVE} set as given}
	 * @param keepAlive whether to set {@code SO_KEEPALIVE}
	 */
	public ConnectionOptions withKeepAlive(boolean keepAlive) {
		return new ConnectionOptions(this.localAddress, keepAlive, this.settings);
	}

	/**
	 * {@return a copy with other starting watermarks}
	 * @param writeBufferLimits the watermarks the transport starts with
	 */
	public ConnectionOptions withWriteBufferLimits(WriteBufferLimits writeBufferLimits) {
		return withSettings(this.settings.withWriteBufferLimits(writeBufferLimits));
	}

	/**
	 * {@return a copy whose transport reports to {@code recorder}}
	 * @param recorder told about the transport's events, for metrics ({@code TransportRecorder.NONE} for none)
	 */
	public ConnectionOptions withRecorder(TransportRecorder recorder) {
		return withSettings(this.settings.withRecorder(recorder));
	}

	/**
	 * {@return a copy that speaks TLS as {@code tls} says, asyncio's {@code ssl=}}
	 * @param tls the {@code SSLContext}, the server name to verify and the timeouts, or {@code null} for plain
	 */
	public ConnectionOptions withTls(TlsOptions tls) {
		return withSettings(this.settings.withTls(tls));
	}

	/**
	 * {@return a copy with other settings (watermarks, recorder)}
	 * @param settings what the transport is set up with: its starting watermarks, the recorder told about its events
	 */
	public ConnectionOptions withSettings(TransportSettings settings) {
		return new ConnectionOptions(this.localAddress, this.keepAlive, settings);
	}

}
