package io.protoloop.tcp;

import java.nio.channels.ServerSocketChannel;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.protoloop.metrics.TransportRecorder;
import io.protoloop.tls.TlsOptions;
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
 * @param maxConnections the most connections open at once; a server at the limit closes new ones at once
 * (0 for no limit)
 * @param maxConnectionsPerAddress the most connections open at once from one client address (0 for no limit)
 * @param unixFileMode the permissions of a Unix socket file (default owner-only: {@code rw-------}); who may
 * connect is who may write to it
 * @param proxyProtocol whether connections start with a PROXY protocol header naming the real client
 * @param settings what each accepted transport is set up with: its starting watermarks, the recorder told
 * about its events
 */
public record ServerOptions(List<String> hosts, int port, int backlog, boolean reuseAddress, boolean reusePort,
		boolean keepAlive, ServerSocketChannel socket, boolean startServing, int maxConnections,
		int maxConnectionsPerAddress, Set<PosixFilePermission> unixFileMode, ProxyProtocol proxyProtocol,
		TransportSettings settings) {

	/** Owner-only read and write: the default permissions of a Unix socket file. */
	public static final Set<PosixFilePermission> OWNER_ONLY = Set.copyOf(PosixFilePermissions.fromString("rw-------"));

	/** All interfaces, a random port, asyncio's defaults otherwise. */
	public static final ServerOptions DEFAULT = builder().build();

	/**
	 * Validates the options.
	 * @param hosts host names or addresses to bind, each resolved to all its addresses; empty binds all interfaces
	 * @param port the port (0 picks a free one per address); ignored for Unix sockets
	 * @param backlog the listen backlog, also the most connections accepted per wake-up (default 100)
	 * @param reuseAddress whether to set {@code SO_REUSEADDR} (default {@code true}, as asyncio on POSIX)
	 * @param reusePort whether to set {@code SO_REUSEPORT}, so several sockets can share the port
	 * @param keepAlive whether accepted connections get {@code SO_KEEPALIVE}
	 * @param socket an already bound server channel to use instead of binding ({@code hosts} and {@code port} are then
	 * ignored), or {@code null}
	 * @param startServing whether to accept connections at once; otherwise call {@code Server.startServing()}
	 * @param maxConnections the most connections open at once; a server at the limit closes new ones at once (0 for no
	 * limit)
	 * @param maxConnectionsPerAddress the most connections open at once from one client address (0 for no limit)
	 * @param unixFileMode the permissions of a Unix socket file (default owner-only: {@code rw-------}); who may
	 * connect is who may write to it
	 * @param proxyProtocol whether connections start with a PROXY protocol header naming the real client
	 * @param settings what each accepted transport is set up with: its starting watermarks, the recorder told about its
	 * events
	 */
	public ServerOptions {
		hosts = List.copyOf(hosts);
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
		}
		if (backlog < 1) {
			throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
		}
		if (maxConnections < 0 || maxConnectionsPerAddress < 0) {
			throw new IllegalArgumentException("maxConnections and maxConnectionsPerAddress must not be negative "
					+ "(0 for no limit): " + maxConnections + ", " + maxConnectionsPerAddress);
		}
		unixFileMode = Set.copyOf(unixFileMode);
		Objects.requireNonNull(proxyProtocol, "proxyProtocol");
		Objects.requireNonNull(settings, "settings");
	}

	/**
	 * {@return the watermarks each accepted transport starts with}
	 */
	public WriteBufferLimits writeBufferLimits() {
		return this.settings.writeBufferLimits();
	}

	/**
	 * {@return the recorder told about the events of every accepted transport}
	 */
	public TransportRecorder recorder() {
		return this.settings.recorder();
	}

	/**
	 * {@return a builder with asyncio's defaults}
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * {@return a builder initialised with these options}
	 */
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
		builder.maxConnections = this.maxConnections;
		builder.maxConnectionsPerAddress = this.maxConnectionsPerAddress;
		builder.unixFileMode = this.unixFileMode;
		builder.proxyProtocol = this.proxyProtocol;
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

		private int maxConnections;

		private int maxConnectionsPerAddress;

		private Set<PosixFilePermission> unixFileMode = OWNER_ONLY;

		private ProxyProtocol proxyProtocol = ProxyProtocol.OFF;

		private TransportSettings settings = TransportSettings.DEFAULT;

		private Builder() {
		}

		/**
		 * Sets the hosts to bind.
		 * @param hosts host names or addresses to bind, each resolved to all its addresses; empty binds all interfaces
		 * @return this builder
		 */
		public Builder hosts(String... hosts) {
			this.hosts = List.of(hosts);
			return this;
		}

		/**
		 * Sets the hosts to bind.
		 * @param hosts host names or addresses to bind, each resolved to all its addresses; empty binds all interfaces
		 * @return this builder
		 */
		public Builder hosts(List<String> hosts) {
			this.hosts = List.copyOf(hosts);
			return this;
		}

		/**
		 * Sets the port to listen on.
		 * @param port the port, 0 to pick a free one (per address); ignored for Unix sockets
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * Sets the listen backlog.
		 * @param backlog the most pending connections, also the most accepted per wake-up (default 100)
		 * @return this builder
		 */
		public Builder backlog(int backlog) {
			this.backlog = backlog;
			return this;
		}

		/**
		 * Sets whether the listening socket gets {@code SO_REUSEADDR}.
		 * @param reuseAddress {@code true} (the default, as asyncio on POSIX) to set it
		 * @return this builder
		 */
		public Builder reuseAddress(boolean reuseAddress) {
			this.reuseAddress = reuseAddress;
			return this;
		}

		/**
		 * Sets whether the listening socket gets {@code SO_REUSEPORT}, so several sockets can share the port.
		 * @param reusePort {@code true} to set it (default {@code false})
		 * @return this builder
		 */
		public Builder reusePort(boolean reusePort) {
			this.reusePort = reusePort;
			return this;
		}

		/**
		 * Sets whether accepted connections get {@code SO_KEEPALIVE}.
		 * @param keepAlive {@code true} to set it (default {@code false})
		 * @return this builder
		 */
		public Builder keepAlive(boolean keepAlive) {
			this.keepAlive = keepAlive;
			return this;
		}

		/**
		 * Uses an already bound server channel instead of binding.
		 * @param socket the bound channel ({@code hosts} and {@code port} are then ignored), or {@code null} to bind
		 * @return this builder
		 */
		public Builder socket(ServerSocketChannel socket) {
			this.socket = socket;
			return this;
		}

		/**
		 * Sets whether the server accepts connections as soon as it is bound.
		 * @param startServing {@code false} to wait for {@code Server.startServing()} (default {@code true})
		 * @return this builder
		 */
		public Builder startServing(boolean startServing) {
			this.startServing = startServing;
			return this;
		}

		/**
		 * Caps the connections open at once: a server at the cap closes new ones at once.
		 * @param maxConnections the cap, or 0 for no limit (the default)
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * Caps the connections open at once from one client address.
		 * @param maxConnectionsPerAddress the cap, or 0 for no limit (the default)
		 * @return this builder
		 */
		public Builder maxConnectionsPerAddress(int maxConnectionsPerAddress) {
			this.maxConnectionsPerAddress = maxConnectionsPerAddress;
			return this;
		}

		/**
		 * Sets the permissions of a Unix socket file: who may connect is who may write to it.
		 * @param unixFileMode the permissions (default owner-only, {@code rw-------})
		 * @return this builder
		 */
		public Builder unixFileMode(Set<PosixFilePermission> unixFileMode) {
			this.unixFileMode = unixFileMode;
			return this;
		}

		/**
		 * Sets the watermarks accepted transports start with.
		 * @param writeBufferLimits the high and low watermarks (default 64 KiB / 16 KiB)
		 * @return this builder
		 */
		public Builder writeBufferLimits(WriteBufferLimits writeBufferLimits) {
			this.settings = this.settings.withWriteBufferLimits(writeBufferLimits);
			return this;
		}

		/**
		 * Sets the recorder told about every accepted transport's events, for metrics.
		 * @param recorder where the events go; {@code TransportRecorder.NONE} (the default) for nowhere
		 * @return this builder
		 */
		public Builder recorder(TransportRecorder recorder) {
			this.settings = this.settings.withRecorder(recorder);
			return this;
		}

		/**
		 * Sets whether connections start with a PROXY protocol header naming the real client.
		 * @param proxyProtocol {@link ProxyProtocol#OPTIONAL} or {@link ProxyProtocol#REQUIRED} to read one (default
		 * {@link ProxyProtocol#OFF})
		 * @return this builder
		 */
		public Builder proxyProtocol(ProxyProtocol proxyProtocol) {
			this.proxyProtocol = proxyProtocol;
			return this;
		}

		/**
		 * Makes every accepted connection speak TLS (asyncio's {@code ssl=}).
		 * @param tls how accepted connections speak TLS, or {@code null} for plain connections (the default)
		 * @return this builder
		 */
		public Builder tls(TlsOptions tls) {
			this.settings = this.settings.withTls(tls);
			return this;
		}

		/**
		 * Replaces the settings every accepted transport is set up with.
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
		public ServerOptions build() {
			return new ServerOptions(this.hosts, this.port, this.backlog, this.reuseAddress, this.reusePort,
					this.keepAlive, this.socket, this.startServing, this.maxConnections, this.maxConnectionsPerAddress,
					this.unixFileMode, this.proxyProtocol, this.settings);
		}

	}

}
