package io.protoloop.tcp;

import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Objects;

import io.protoloop.metrics.TransportRecorder;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WriteBufferLimits;

/**
 * Options of {@code createServer} and {@code createUnixServer}, after asyncio's keyword arguments. Build with
 * {@link #builder()}; {@link #DEFAULT} listens on all interfaces on a random port.
 * @param hosts host names or addresses to bind, each resolved to all its addresses; empty binds all interfaces
 * @param port the port (0 picks a free one per address); ignored for Unix sockets
 * @param backlog the listen backlog, also the most connections accepted per wake-up (default 100)
 * @param reuseAddress whether to set {@code SO_REUSEADDR} (default {@code true}, as asyncio on POSIX)
 * @param reusePort whether to set {@code SO_REUSEPORT}, so several sockets can share the port
 * @param keepAlive whether accepted connections get {@code SO_KEEPALIVE}
 * @param socket an already bound server channel to use instead of binding ({@code hosts} and {@code port} are
 * then ignored), or {@code null}
 * @param startServing whether to accept connections at once; otherwise call {@code Server.startServing()}
 * @param settings what each accepted transport is set up with: its starting watermarks, the recorder told
 * about its events
 */
public record ServerOptions(List<String> hosts, int port, int backlog, boolean reuseAddress, boolean reusePort,
		boolean keepAlive, ServerSocketChannel socket, boolean startServing, TransportSettings settings) {

	/** All interfaces, a random port, asyncio's defaults otherwise. */
	public static final ServerOptions DEFAULT = builder().build();

	/** Validates the options. */
	public ServerOptions {
		hosts = List.copyOf(hosts);
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
		}
		if (backlog < 1) {
			throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
		}
		Objects.requireNonNull(settings, "settings");
	}

	/** Returns the watermarks each accepted transport starts with. */
	public WriteBufferLimits writeBufferLimits() {
		return this.settings.writeBufferLimits();
	}

	/** Returns the recorder told about the events of every accepted transport. */
	public TransportRecorder recorder() {
		return this.settings.recorder();
	}

	/** Returns a builder with asyncio's defaults. */
	public static Builder builder() {
		return new Builder();
	}

	/** Returns a builder initialised with these options. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.hosts = this.hosts;
		builder.port = this.port;
		builder.backlog = this.backlog;
		builder.reuseAddress = this.reuseAddress;
		builder.reusePort = this.reusePort;
		builder.keepAlive = this.keepAlive;
		builder.socket = this.socket;
		builder.startServing = this.startServing;
		builder.settings = this.settings;
		return builder;
	}

	/** Builds {@link ServerOptions}. */
	public static final class Builder {

		private List<String> hosts = List.of();

		private int port;

		private int backlog = 100;

		private boolean reuseAddress = true;

		private boolean reusePort;

		private boolean keepAlive;

		private ServerSocketChannel socket;

		private boolean startServing = true;

		private TransportSettings settings = TransportSettings.DEFAULT;

		private Builder() {
		}

		/** Binds these hosts (names or addresses); none binds all interfaces. */
		public Builder hosts(String... hosts) {
			this.hosts = List.of(hosts);
			return this;
		}

		/** Binds these hosts (names or addresses); empty binds all interfaces. */
		public Builder hosts(List<String> hosts) {
			this.hosts = List.copyOf(hosts);
			return this;
		}

		/** Sets the port; 0 picks a free one. */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/** Sets the listen backlog (default 100). */
		public Builder backlog(int backlog) {
			this.backlog = backlog;
			return this;
		}

		/** Sets {@code SO_REUSEADDR} (default {@code true}). */
		public Builder reuseAddress(boolean reuseAddress) {
			this.reuseAddress = reuseAddress;
			return this;
		}

		/** Sets {@code SO_REUSEPORT} (default {@code false}). */
		public Builder reusePort(boolean reusePort) {
			this.reusePort = reusePort;
			return this;
		}

		/** Sets {@code SO_KEEPALIVE} on accepted connections (default {@code false}). */
		public Builder keepAlive(boolean keepAlive) {
			this.keepAlive = keepAlive;
			return this;
		}

		/** Uses an already bound server channel instead of binding. */
		public Builder socket(ServerSocketChannel socket) {
			this.socket = socket;
			return this;
		}

		/** Sets whether to accept connections at once (default {@code true}). */
		public Builder startServing(boolean startServing) {
			this.startServing = startServing;
			return this;
		}

		/** Sets the watermarks accepted transports start with (default 64 KiB / 16 KiB). */
		public Builder writeBufferLimits(WriteBufferLimits writeBufferLimits) {
			this.settings = this.settings.withWriteBufferLimits(writeBufferLimits);
			return this;
		}

		/** Sets the recorder told about every accepted transport's events (default: none). */
		public Builder recorder(TransportRecorder recorder) {
			this.settings = this.settings.withRecorder(recorder);
			return this;
		}

		/** Sets what every accepted transport is set up with (watermarks, recorder). */
		public Builder settings(TransportSettings settings) {
			this.settings = settings;
			return this;
		}

		/** Returns the options. */
		public ServerOptions build() {
			return new ServerOptions(this.hosts, this.port, this.backlog, this.reuseAddress, this.reusePort,
					this.keepAlive, this.socket, this.startServing, this.settings);
		}

	}

}
