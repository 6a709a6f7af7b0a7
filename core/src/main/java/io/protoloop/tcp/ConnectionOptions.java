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
	 * Returns the watermarks the transport starts with.
	 * @return the watermarks the transport starts with
	 */
	public WriteBufferLimits writeBufferLimits() {
		return this.settings.writeBufferLimits();
	}

	/**
	 * Returns the recorder told about the transport's events.
	 * @return the recorder told about the transport's events
	 */
	public TransportRecorder recorder() {
		return this.settings.recorder();
	}

	/**
	 * Returns a copy that binds {@code localAddress} before connecting.
	 * @param localAddress the local address to bind before connecting, or {@code null} to let the system choose
	 * @return a copy that binds {@code localAddress} before connecting
	 */
	public ConnectionOptions withLocalAddress(InetSocketAddress localAddress) {
		return new ConnectionOptions(localAddress, this.keepAlive, this.settings);
	}

	/**
	 * Returns a copy with {@code SO_KEEPALIVE} set as given.
	 * @param keepAlive whether to set {@code SO_KEEPALIVE}
	 * @return a copy with {@code SO_KEEPALIVE} set as given
	 */
	public ConnectionOptions withKeepAlive(boolean keepAlive) {
		return new ConnectionOptions(this.localAddress, keepAlive, this.settings);
	}

	/**
	 * Returns a copy with other starting watermarks.
	 * @param writeBufferLimits the watermarks the transport starts with
	 * @return a copy with other starting watermarks
	 */
	public ConnectionOptions withWriteBufferLimits(WriteBufferLimits writeBufferLimits) {
		return withSettings(this.settings.withWriteBufferLimits(writeBufferLimits));
	}

	/**
	 * Returns a copy whose transport reports to {@code recorder}.
	 * @param recorder the recorder
	 * @return a copy whose transport reports to {@code recorder}
	 */
	public ConnectionOptions withRecorder(TransportRecorder recorder) {
		return withSettings(this.settings.withRecorder(recorder));
	}

	/**
	 * Returns a copy that speaks TLS (asyncio's {@code ssl=}); {@code null} for plain.
	 * @param tls the TLS options, or {@code null}
	 * @return a copy that speaks TLS (asyncio's {@code ssl=}); {@code null} for plain
	 */
	public ConnectionOptions withTls(TlsOptions tls) {
		return withSettings(this.settings.withTls(tls));
	}

	/**
	 * Returns a copy with other settings (watermarks, recorder).
	 * @param settings what the transport is set up with: its starting watermarks, the recorder told about its events
	 * @return a copy with other settings (watermarks, recorder)
	 */
	public ConnectionOptions withSettings(TransportSettings settings) {
		return new ConnectionOptions(this.localAddress, this.keepAlive, settings);
	}

}
