package io.protoloop.udp;

import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Objects;

import io.protoloop.metrics.TransportRecorder;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WriteBufferLimits;

/**
 * Options of {@code createDatagramEndpoint}, after asyncio's keyword arguments. Build with {@link #builder()}.
 * @param localAddress the address to bind, or {@code null} for an ephemeral port on all interfaces: an
 * {@link InetSocketAddress}, or a {@link java.net.UnixDomainSocketAddress} for a Unix domain datagram socket
 * where the JDK supports one
 * @param remoteAddress the peer to connect to, or {@code null}: a connected endpoint sends there by default and
 * never delivers datagrams from anyone else
 * @param family the protocol family ({@code StandardProtocolFamily.INET} or {@code INET6}), or {@code null}
 * to follow the addresses
 * @param reusePort whether to set {@code SO_REUSEPORT}, so several endpoints can share the port
 * @param allowBroadcast whether to set {@code SO_BROADCAST}
 * @param socket an existing channel to use instead of opening one (addresses and socket options are then
 * ignored), or {@code null}
 * @param receiveBufferSize the largest datagram delivered, in bytes (default 65,535: any UDP datagram); a
 * larger one is dropped and reported to {@code errorReceived}
 * @param settings the watermarks the transport starts with and the recorder told about its events
 */
public record DatagramOptions(SocketAddress localAddress, SocketAddress remoteAddress, ProtocolFamily family,
		boolean reusePort, boolean allowBroadcast, DatagramChannel socket, int receiveBufferSize,
		TransportSettings settings) {

	/** The largest UDP payload a datagram can carry: its length field is 16 bits. */
	public static final int MAX_DATAGRAM_SIZE = 65535;

	/**
	 * Validates the options.
	 * @param localAddress the address to bind, or {@code null} for an ephemeral port on all interfaces: an
	 * {@link InetSocketAddress}, or a {@link java.net.UnixDomainSocketAddress} for a Unix domain datagram socket where
	 * the JDK supports one
	 * @param remoteAddress the peer to connect to, or {@code null}: a connected endpoint sends there by default and
	 * never delivers datagrams from anyone else
	 * @param family the protocol family ({@code StandardProtocolFamily.INET} or {@code INET6}), or {@code null} to
	 * follow the addresses
	 * @param reusePort whether to set {@code SO_REUSEPORT}, so several endpoints can share the port
	 * @param allowBroadcast whether to set {@code SO_BROADCAST}
	 * @param socket an existing channel to use instead of opening one (addresses and socket options are then ignored),
	 * or {@code null}
	 * @param receiveBufferSize the largest datagram delivered, in bytes (default 65,535: any UDP datagram); a larger
	 * one is dropped and reported to {@code errorReceived}
	 * @param settings the watermarks the transport starts with and the recorder told about its events
	 */
	public DatagramOptions {
		if (receiveBufferSize < 1 || receiveBufferSize > MAX_DATAGRAM_SIZE) {
			throw new IllegalArgumentException(
					"receiveBufferSize must be between 1 and " + MAX_DATAGRAM_SIZE + ": " + receiveBufferSize);
		}
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
	 * {@return a copy with other addresses (resolved ones, say)}
	 * @param localAddress the address to bind, or {@code null} for an ephemeral port on all interfaces: an
	 * {@link InetSocketAddress}, or a {@link java.net.UnixDomainSocketAddress} for a Unix domain datagram socket where
	 * the JDK supports one
	 * @param remoteAddress the peer to connect to, or {@code null}: a connected endpoint sends there by default and
	 * never delivers datagrams from anyone else
	 */
	public DatagramOptions withAddresses(SocketAddress localAddress, SocketAddress remoteAddress) {
		return new DatagramOptions(localAddress, remoteAddress, this.family, this.reusePort, this.allowBroadcast,
				this.socket, this.receiveBufferSize, this.settings);
	}

	/**
	 * {@return a builder with asyncio's defaults}
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** Builds {@link DatagramOptions}. */
	public static final class Builder {

		private SocketAddress localAddress;

		private SocketAddress remoteAddress;

		private ProtocolFamily family;

		private boolean reusePort;

		private boolean allowBroadcast;

		private DatagramChannel socket;

		private int receiveBufferSize = MAX_DATAGRAM_SIZE;

		private TransportSettings settings = TransportSettings.DEFAULT;

		private Builder() {
		}

		/**
		 * Binds this local address: an IP address and port (0 picks a free one), or a Unix socket path.
		 * @param localAddress the address to bind, or {@code null} for an ephemeral port on all interfaces: an
		 * {@link InetSocketAddress}, or a {@link java.net.UnixDomainSocketAddress} for a Unix domain datagram socket
		 * where the JDK supports one
		 * @return this builder
		 */
		public Builder localAddress(SocketAddress localAddress) {
			this.localAddress = localAddress;
			return this;
		}

		/**
		 * Binds {@code host:port} locally.
		 * @param host the host name or address
		 * @param port the local port, 0 for an ephemeral one
		 * @return this builder
		 */
		public Builder localAddress(String host, int port) {
			return localAddress(new InetSocketAddress(host, port));
		}

		/**
		 * Connects the endpoint to this peer.
		 * @param remoteAddress the peer to connect to, or {@code null}: a connected endpoint sends there by default and
		 * never delivers datagrams from anyone else
		 * @return this builder
		 */
		public Builder remoteAddress(SocketAddress remoteAddress) {
			this.remoteAddress = remoteAddress;
			return this;
		}

		/**
		 * Connects the endpoint to {@code host:port}.
		 * @param host the host name or address
		 * @param port the port on {@code host} to send to
		 * @return this builder
		 */
		public Builder remoteAddress(String host, int port) {
			return remoteAddress(new InetSocketAddress(host, port));
		}

		/**
		 * Sets the protocol family.
		 * @param family {@code StandardProtocolFamily.INET} or {@code INET6}, or {@code null} (the default) to follow
		 * the addresses
		 * @return this builder
		 */
		public Builder family(ProtocolFamily family) {
			this.family = family;
			return this;
		}

		/**
		 * Sets whether the socket gets {@code SO_REUSEPORT}, so several sockets can share the port.
		 * @param reusePort {@code true} to set it (default {@code false})
		 * @return this builder
		 */
		public Builder reusePort(boolean reusePort) {
			this.reusePort = reusePort;
			return this;
		}

		/**
		 * Sets whether the socket may send to broadcast addresses ({@code SO_BROADCAST}).
		 * @param allowBroadcast {@code true} to set it (default {@code false})
		 * @return this builder
		 */
		public Builder allowBroadcast(boolean allowBroadcast) {
			this.allowBroadcast = allowBroadcast;
			return this;
		}

		/**
		 * Uses an existing channel.
		 * @param socket the channel (addresses and socket options are then ignored), or {@code null} to open one
		 * @return this builder
		 */
		public Builder socket(DatagramChannel socket) {
			this.socket = socket;
			return this;
		}

		/**
		 * Sets the largest datagram delivered; a larger one is dropped and reported to {@code errorReceived}.
		 * @param receiveBufferSize the size in bytes (default 65,535: any UDP datagram)
		 * @return this builder
		 */
		public Builder receiveBufferSize(int receiveBufferSize) {
			this.receiveBufferSize = receiveBufferSize;
			return this;
		}

		/**
		 * Sets the watermarks the transport starts with.
		 * @param writeBufferLimits the high and low watermarks (default 64 KiB / 16 KiB)
		 * @return this builder
		 */
		public Builder writeBufferLimits(WriteBufferLimits writeBufferLimits) {
			this.settings = this.settings.withWriteBufferLimits(writeBufferLimits);
			return this;
		}

		/**
		 * Sets the recorder told about the transport's events, for metrics.
		 * @param recorder where the events go; {@code TransportRecorder.NONE} (the default) for nowhere
		 * @return this builder
		 */
		public Builder recorder(TransportRecorder recorder) {
			this.settings = this.settings.withRecorder(recorder);
			return this;
		}

		/**
		 * Replaces the settings the transport is set up with.
		 * @param settings the watermarks, recorder, guards, linger and TLS (default {@link TransportSettings#DEFAULT})
		 * @return this builder
		 */
		public Builder settings(TransportSettings settings) {
			this.settings = settings;
			return this;
		}

		/**
		 * {@return the options}
		 */
		public DatagramOptions build() {
			return new DatagramOptions(this.localAddress, this.remoteAddress, this.family, this.reusePort,
					this.allowBroadcast, this.socket, this.receiveBufferSize, this.settings);
		}

	}

}
