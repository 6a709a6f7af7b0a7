package io.protoloop.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.protoloop.boot.EndpointKind;
import io.protoloop.loop.LoopTransport;
import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.tls.ClientAuth;
import io.protoloop.tls.TlsOptions;

/**
 * Configuration of Protoloop: the event loops ({@code protoloop.loop.*}) and the named endpoints
 * ({@code protoloop.endpoints.<name>.*}), each served by the {@code @ProtocolEndpoint} bean of the same name.
 */
@ConfigurationProperties("protoloop")
public class ProtoloopProperties {

	/** Event-loop settings. */
	private final Loop loop = new Loop();

	/** Shutdown settings. */
	private final Shutdown shutdown = new Shutdown();

	/** Endpoints, keyed by the name given in @ProtocolEndpoint. */
	private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

	/**
	 * {@return the {@code protoloop.loop} property} Event-loop settings.
	 */
	public Loop getLoop() {
		return this.loop;
	}

	/**
	 * {@return the {@code protoloop.shutdown} property} Shutdown settings.
	 */
	public Shutdown getShutdown() {
		return this.shutdown;
	}

	/**
	 * {@return the {@code protoloop.endpoints} property} Endpoints, keyed by the name given in @ProtocolEndpoint.
	 */
	public Map<String, Endpoint> getEndpoints() {
		return this.endpoints;
	}

	/** Event-loop settings. */
	public static class Loop {

		/** Number of event-loop threads. Defaults to the number of available processors. */
		private Integer threads;

		/** Prefix of the event-loop thread names; each thread adds "-" and its index. */
		private String threadNamePrefix = "protoloop";

		/** Whether debug mode is on: callbacks slower than the slow-callback duration are logged by name. */
		private boolean debug;

		/** Callbacks running longer than this are logged as slow, in debug mode. */
		private Duration slowCallbackDuration = Duration.ofMillis(100);

		/**
		 * Whether the process exits when an event loop dies of a fatal error such as OutOfMemoryError. Liveness
		 * goes to BROKEN either way.
		 */
		private boolean exitOnFatalError = true;

		/**
		 * How the event loops do I/O: auto (epoll where available, else java.nio), nio, or epoll (Linux, Java 22 or
		 * later with native access enabled; startup fails where it is unavailable).
		 */
		private LoopTransport transport = LoopTransport.AUTO;

		/**
		 * {@return the {@code protoloop.loop.threads} property} Number of event-loop threads. Defaults to the number of
		 * available processors.
		 */
		public Integer getThreads() {
			return this.threads;
		}

		/**
		 * Sets the {@code protoloop.loop.threads} property.
		 * @param threads number of event-loop threads. Defaults to the number of available processors.
		 */
		public void setThreads(Integer threads) {
			this.threads = threads;
		}

		/**
		 * {@return the {@code protoloop.loop.thread-name-prefix} property} Prefix of the event-loop thread names; each
		 * thread adds "-" and its index.
		 */
		public String getThreadNamePrefix() {
			return this.threadNamePrefix;
		}

		/**
		 * Sets the {@code protoloop.loop.thread-name-prefix} property.
		 * @param threadNamePrefix prefix of the event-loop thread names; each thread adds "-" and its index.
		 */
		public void setThreadNamePrefix(String threadNamePrefix) {
			this.threadNamePrefix = threadNamePrefix;
		}

		/**
		 * {@return the {@code protoloop.loop.debug} property} Whether debug mode is on: callbacks slower than the
		 * slow-callback duration are logged by name.
		 */
		public boolean isDebug() {
			return this.debug;
		}

		/**
		 * Sets the {@code protoloop.loop.debug} property.
		 * @param debug whether debug mode is on: callbacks slower than the slow-callback duration are logged by name.
		 */
		public void setDebug(boolean debug) {
			this.debug = debug;
		}

		/**
		 * {@return the {@code protoloop.loop.slow-callback-duration} property} Callbacks running longer than this are
		 * logged as slow, in debug mode.
		 */
		public Duration getSlowCallbackDuration() {
			return this.slowCallbackDuration;
		}

		/**
		 * Sets the {@code protoloop.loop.slow-callback-duration} property.
		 * @param slowCallbackDuration callbacks running longer than this are logged as slow, in debug mode.
		 */
		public void setSlowCallbackDuration(Duration slowCallbackDuration) {
			this.slowCallbackDuration = slowCallbackDuration;
		}

		/**
		 * {@return the {@code protoloop.loop.exit-on-fatal-error} property} Whether the process exits when an event
		 * loop dies of a fatal error such as OutOfMemoryError. Liveness goes to BROKEN either way.
		 */
		public boolean isExitOnFatalError() {
			return this.exitOnFatalError;
		}

		/**
		 * Sets the {@code protoloop.loop.exit-on-fatal-error} property.
		 * @param exitOnFatalError whether the process exits when an event loop dies of a fatal error such as
		 * OutOfMemoryError. Liveness goes to BROKEN either way.
		 */
		public void setExitOnFatalError(boolean exitOnFatalError) {
			this.exitOnFatalError = exitOnFatalError;
		}

		/**
		 * {@return the {@code protoloop.loop.transport} property} How the event loops do I/O: auto (epoll where
		 * available, else java.nio), nio, or epoll (Linux, Java 22 or later with native access enabled; startup fails
		 * where it is unavailable).
		 */
		public LoopTransport getTransport() {
			return this.transport;
		}

		/**
		 * Sets the {@code protoloop.loop.transport} property.
		 * @param transport how the event loops do I/O: auto (epoll where available, else java.nio), nio, or epoll
		 * (Linux, Java 22 or later with native access enabled; startup fails where it is unavailable).
		 */
		public void setTransport(LoopTransport transport) {
			this.transport = transport;
		}

	}

	/** Shutdown settings. */
	public static class Shutdown {

		/**
		 * How long endpoints keep accepting after readiness goes to REFUSING_TRAFFIC on shutdown, so load balancers
		 * stop sending new connections before the endpoints stop accepting and drain.
		 */
		private Duration drainDelay = Duration.ZERO;

		/**
		 * {@return the {@code protoloop.shutdown.drain-delay} property} How long endpoints keep accepting after
		 * readiness goes to REFUSING_TRAFFIC on shutdown, so load balancers stop sending new connections before the
		 * endpoints stop accepting and drain.
		 */
		public Duration getDrainDelay() {
			return this.drainDelay;
		}

		/**
		 * Sets the {@code protoloop.shutdown.drain-delay} property.
		 * @param drainDelay how long endpoints keep accepting after readiness goes to REFUSING_TRAFFIC on shutdown, so
		 * load balancers stop sending new connections before the endpoints stop accepting and drain.
		 */
		public void setDrainDelay(Duration drainDelay) {
			this.drainDelay = drainDelay;
		}

	}

	/** One endpoint. */
	public static class Endpoint {

		/**
		 * Kind of endpoint. When not set: udp for a DatagramProtocol, unix when a path is set, tcp otherwise.
		 */
		private EndpointKind kind;

		/** Whether to start the endpoint. */
		private boolean enabled = true;

		/** Network address to bind (tcp, udp). All interfaces when not set, as server.address does. */
		private String host;

		/** Port to bind (tcp, udp); 0 picks a free port. */
		private Integer port;

		/** Path of the Unix domain socket file (unix). */
		private String path;

		/**
		 * Maximum number of pending connections, also the most accepted per wake-up (tcp, unix). Defaults to the
		 * operating system's limit (net.core.somaxconn).
		 */
		private Integer backlog;

		/** Whether to set SO_REUSEADDR on the listening socket (tcp). */
		private boolean reuseAddress = true;

		/** Whether to set SO_REUSEPORT, so several processes can share the port (tcp, udp). */
		private boolean reusePort;

		/** Whether to set SO_KEEPALIVE on accepted connections (tcp). */
		private boolean keepAlive;

		/** Largest datagram delivered; larger ones are dropped and reported to errorReceived (udp). */
		private DataSize receiveBuffer = DataSize.ofBytes(65535);

		/** Write-buffer flow control of each connection. */
		private final WriteBuffer writeBuffer = new WriteBuffer();

		/** Connections that neither read nor write for this long are closed (tcp, unix). None when not set or 0. */
		private Duration idleTimeout;

		/** Connections that receive nothing for this long are closed (tcp, unix). None when not set or 0. */
		private Duration readTimeout;

		/**
		 * How long a closed connection keeps reading and discarding input after its end of stream, so unread input
		 * does not make the kernel reset it and drop what the peer has not received; 0 closes at once (tcp, unix).
		 */
		private Duration lingerTimeout = Duration.ofSeconds(10);

		/** Most connections open at once; more are closed as soon as accepted (tcp, unix). 0 for no limit. */
		private int maxConnections;

		/** Most connections open at once from one client address (tcp). 0 for no limit. */
		private int maxConnectionsPerAddress;

		/** Permissions of the socket file, such as rw-rw---- (unix). Defaults to rw------- (owner only). */
		private String fileMode;

		/** Whether connections start with a PROXY protocol header naming the real client (tcp, unix). */
		private ProxyProtocol proxyProtocol = ProxyProtocol.OFF;

		/** TLS of the endpoint's connections (tcp, unix). */
		private final Ssl ssl = new Ssl();

		/**
		 * {@return the {@code protoloop.endpoints.<name>.kind} property} Kind of endpoint. When not set: udp for a
		 * DatagramProtocol, unix when a path is set, tcp otherwise.
		 */
		public EndpointKind getKind() {
			return this.kind;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.kind} property.
		 * @param kind kind of endpoint. When not set: udp for a DatagramProtocol, unix when a path is set, tcp
		 * otherwise.
		 */
		public void setKind(EndpointKind kind) {
			this.kind = kind;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.enabled} property} Whether to start the endpoint.
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.enabled} property.
		 * @param enabled whether to start the endpoint.
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.host} property} Network address to bind (tcp, udp). All
		 * interfaces when not set, as server.address does.
		 */
		public String getHost() {
			return this.host;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.host} property.
		 * @param host network address to bind (tcp, udp). All interfaces when not set, as server.address does.
		 */
		public void setHost(String host) {
			this.host = host;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.port} property} Port to bind (tcp, udp); 0 picks a free port.
		 */
		public Integer getPort() {
			return this.port;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.port} property.
		 * @param port port to bind (tcp, udp); 0 picks a free port.
		 */
		public void setPort(Integer port) {
			this.port = port;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.path} property} Path of the Unix domain socket file (unix).
		 */
		public String getPath() {
			return this.path;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.path} property.
		 * @param path path of the Unix domain socket file (unix).
		 */
		public void setPath(String path) {
			this.path = path;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.backlog} property} Maximum number of pending connections, also
		 * the most accepted per wake-up (tcp, unix). Defaults to the operating system's limit (net.core.somaxconn).
		 */
		public Integer getBacklog() {
			return this.backlog;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.backlog} property.
		 * @param backlog maximum number of pending connections, also the most accepted per wake-up (tcp, unix).
		 * Defaults to the operating system's limit (net.core.somaxconn).
		 */
		public void setBacklog(Integer backlog) {
			this.backlog = backlog;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.reuse-address} property} Whether to set SO_REUSEADDR on the
		 * listening socket (tcp).
		 */
		public boolean isReuseAddress() {
			return this.reuseAddress;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.reuse-address} property.
		 * @param reuseAddress whether to set SO_REUSEADDR on the listening socket (tcp).
		 */
		public void setReuseAddress(boolean reuseAddress) {
			this.reuseAddress = reuseAddress;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.reuse-port} property} Whether to set SO_REUSEPORT, so several
		 * processes can share the port (tcp, udp).
		 */
		public boolean isReusePort() {
			return this.reusePort;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.reuse-port} property.
		 * @param reusePort whether to set SO_REUSEPORT, so several processes can share the port (tcp, udp).
		 */
		public void setReusePort(boolean reusePort) {
			this.reusePort = reusePort;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.keep-alive} property} Whether to set SO_KEEPALIVE on accepted
		 * connections (tcp).
		 */
		public boolean isKeepAlive() {
			return this.keepAlive;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.keep-alive} property.
		 * @param keepAlive whether to set SO_KEEPALIVE on accepted connections (tcp).
		 */
		public void setKeepAlive(boolean keepAlive) {
			this.keepAlive = keepAlive;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.receive-buffer} property} Largest datagram delivered; larger
		 * ones are dropped and reported to errorReceived (udp).
		 */
		public DataSize getReceiveBuffer() {
			return this.receiveBuffer;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.receive-buffer} property.
		 * @param receiveBuffer largest datagram delivered; larger ones are dropped and reported to errorReceived (udp).
		 */
		public void setReceiveBuffer(DataSize receiveBuffer) {
			this.receiveBuffer = receiveBuffer;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.write-buffer} property} Write-buffer flow control of each
		 * connection.
		 */
		public WriteBuffer getWriteBuffer() {
			return this.writeBuffer;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.idle-timeout} property} Connections that neither read nor
		 * write for this long are closed (tcp, unix). None when not set or 0.
		 */
		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.idle-timeout} property.
		 * @param idleTimeout connections that neither read nor write for this long are closed (tcp, unix). None when
		 * not set or 0.
		 */
		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.read-timeout} property} Connections that receive nothing for
		 * this long are closed (tcp, unix). None when not set or 0.
		 */
		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.read-timeout} property.
		 * @param readTimeout connections that receive nothing for this long are closed (tcp, unix). None when not set
		 * or 0.
		 */
		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.linger-timeout} property} How long a closed connection keeps
		 * reading and discarding input after its end of stream, so unread input does not make the kernel reset it and
		 * drop what the peer has not received; 0 closes at once (tcp, unix).
		 */
		public Duration getLingerTimeout() {
			return this.lingerTimeout;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.linger-timeout} property.
		 * @param lingerTimeout how long a closed connection keeps reading and discarding input after its end of stream,
		 * so unread input does not make the kernel reset it and drop what the peer has not received; 0 closes at once
		 * (tcp, unix).
		 */
		public void setLingerTimeout(Duration lingerTimeout) {
			this.lingerTimeout = lingerTimeout;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.max-connections} property} Most connections open at once; more
		 * are closed as soon as accepted (tcp, unix). 0 for no limit.
		 */
		public int getMaxConnections() {
			return this.maxConnections;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.max-connections} property.
		 * @param maxConnections most connections open at once; more are closed as soon as accepted (tcp, unix). 0 for
		 * no limit.
		 */
		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.max-connections-per-address} property} Most connections open
		 * at once from one client address (tcp). 0 for no limit.
		 */
		public int getMaxConnectionsPerAddress() {
			return this.maxConnectionsPerAddress;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.max-connections-per-address} property.
		 * @param maxConnectionsPerAddress most connections open at once from one client address (tcp). 0 for no limit.
		 */
		public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
			this.maxConnectionsPerAddress = maxConnectionsPerAddress;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.proxy-protocol} property} Whether connections start with a
		 * PROXY protocol header naming the real client (tcp, unix).
		 */
		public ProxyProtocol getProxyProtocol() {
			return this.proxyProtocol;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.proxy-protocol} property.
		 * @param proxyProtocol whether connections start with a PROXY protocol header naming the real client (tcp,
		 * unix).
		 */
		public void setProxyProtocol(ProxyProtocol proxyProtocol) {
			this.proxyProtocol = proxyProtocol;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.file-mode} property} Permissions of the socket file, such as
		 * rw-rw---- (unix). Defaults to rw------- (owner only).
		 */
		public String getFileMode() {
			return this.fileMode;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.file-mode} property.
		 * @param fileMode permissions of the socket file, such as rw-rw---- (unix). Defaults to rw------- (owner only).
		 */
		public void setFileMode(String fileMode) {
			this.fileMode = fileMode;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.ssl} property} TLS of the endpoint's connections (tcp, unix).
		 */
		public Ssl getSsl() {
			return this.ssl;
		}

	}

	/** TLS of an endpoint's connections, whose keys and trust come from an SSL bundle. */
	public static class Ssl {

		/** Name of the SSL bundle (spring.ssl.bundle.*) that serves TLS. Plain connections when not set or empty. */
		private String bundle;

		/** Whether clients must present a certificate the bundle's trust store verifies. Defaults to none. */
		private ClientAuth clientAuth;

		/** How long a TLS handshake may take; a client that has not completed it by then is disconnected. */
		private Duration handshakeTimeout = TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT;

		/** How long a closing connection waits for the peer's close_notify before it is aborted. */
		private Duration shutdownTimeout = TlsOptions.DEFAULT_SHUTDOWN_TIMEOUT;

		/**
		 * How much of each event-loop iteration the TLS engine's delegated tasks (handshake signatures, key
		 * agreement, certificate checks) may run on the loop thread; tasks beyond it run on the loop's executor. 0
		 * sends them all to the executor.
		 */
		private Duration delegatedTaskBudget = TlsOptions.DEFAULT_DELEGATED_TASK_BUDGET;

		/**
		 * {@return the {@code protoloop.endpoints.<name>.ssl.bundle} property}
		 * Name of the SSL bundle ({@code spring.ssl.bundle.*}) that serves TLS.
		 */
		public String getBundle() {
			return this.bundle;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.ssl.bundle} property.
		 * @param bundle a bundle name; {@code null} or empty serves plain connections
		 */
		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.ssl.client-auth} property}
		 * Whether clients must present a certificate the bundle's trust store verifies.
		 */
		public ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.ssl.client-auth} property.
		 * @param clientAuth {@code null} means none
		 */
		public void setClientAuth(ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.ssl.handshake-timeout} property}
		 * How long a TLS handshake may take.
		 */
		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.ssl.handshake-timeout} property.
		 * @param handshakeTimeout positive; a client that has not completed the handshake by then is disconnected
		 */
		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.ssl.shutdown-timeout} property}
		 * How long a closing connection waits for the peer's close_notify.
		 */
		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.ssl.shutdown-timeout} property.
		 * @param shutdownTimeout positive; the connection is aborted when it runs out
		 */
		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.ssl.delegated-task-budget} property} How much of each loop
		 * iteration the TLS engine's delegated tasks may run on the loop thread.
		 */
		public Duration getDelegatedTaskBudget() {
			return this.delegatedTaskBudget;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.ssl.delegated-task-budget} property.
		 * @param delegatedTaskBudget not negative; {@code 0} runs every delegated task on the loop's executor
		 */
		public void setDelegatedTaskBudget(Duration delegatedTaskBudget) {
			this.delegatedTaskBudget = delegatedTaskBudget;
		}

	}

	/** Write-buffer watermarks (pauseWriting above high, resumeWriting at or below low) and hard cap. */
	public static class WriteBuffer {

		/** High watermark: the protocol's pauseWriting is called when the buffer goes over it. */
		private DataSize high = DataSize.ofKilobytes(64);

		/** Low watermark: resumeWriting is called when the buffer drains to it. Defaults to a quarter of high. */
		private DataSize low;

		/**
		 * Hard cap: a connection whose buffer goes over it is aborted, as its protocol kept writing to a peer that
		 * does not read (for udp: the queue of datagrams to send). -1 for none.
		 */
		private DataSize max = DataSize.ofMegabytes(16);

		/**
		 * {@return the {@code protoloop.endpoints.<name>.write-buffer.high} property} High watermark: the protocol's
		 * pauseWriting is called when the buffer goes over it.
		 */
		public DataSize getHigh() {
			return this.high;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.write-buffer.high} property.
		 * @param high high watermark: the protocol's pauseWriting is called when the buffer goes over it.
		 */
		public void setHigh(DataSize high) {
			this.high = high;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.write-buffer.low} property} Low watermark: resumeWriting is
		 * called when the buffer drains to it. Defaults to a quarter of high.
		 */
		public DataSize getLow() {
			return this.low;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.write-buffer.low} property.
		 * @param low low watermark: resumeWriting is called when the buffer drains to it. Defaults to a quarter of
		 * high.
		 */
		public void setLow(DataSize low) {
			this.low = low;
		}

		/**
		 * {@return the {@code protoloop.endpoints.<name>.write-buffer.max} property} Hard cap: a connection whose
		 * buffer goes over it is aborted, as its protocol kept writing to a peer that does not read (for udp: the queue
		 * of datagrams to send). -1 for none.
		 */
		public DataSize getMax() {
			return this.max;
		}

		/**
		 * Sets the {@code protoloop.endpoints.<name>.write-buffer.max} property.
		 * @param max hard cap: a connection whose buffer goes over it is aborted, as its protocol kept writing to a
		 * peer that does not read (for udp: the queue of datagrams to send). -1 for none.
		 */
		public void setMax(DataSize max) {
			this.max = max;
		}

	}

}
