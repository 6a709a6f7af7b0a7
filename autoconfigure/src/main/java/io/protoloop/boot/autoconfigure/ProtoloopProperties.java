package io.protoloop.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.protoloop.boot.EndpointKind;
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
	 * Returns {@code loop}: Event-loop settings.
	 * @return the value
	 */
	public Loop getLoop() {
		return this.loop;
	}

	/**
	 * Returns {@code shutdown}: Shutdown settings.
	 * @return the value
	 */
	public Shutdown getShutdown() {
		return this.shutdown;
	}

	/**
	 * Returns {@code endpoints}: Endpoints, keyed by the name given in @ProtocolEndpoint.
	 * @return the value
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
		 * Returns {@code threads}: Number of event-loop threads. Defaults to the number of available processors.
		 * @return the value
		 */
		public Integer getThreads() {
			return this.threads;
		}

		/**
		 * Sets {@code threads}: Number of event-loop threads. Defaults to the number of available processors.
		 * @param threads the value
		 */
		public void setThreads(Integer threads) {
			this.threads = threads;
		}

		/**
		 * Returns {@code thread-name-prefix}: Prefix of the event-loop thread names; each thread adds "-" and its index.
		 * @return the value
		 */
		public String getThreadNamePrefix() {
			return this.threadNamePrefix;
		}

		/**
		 * Sets {@code thread-name-prefix}: Prefix of the event-loop thread names; each thread adds "-" and its index.
		 * @param threadNamePrefix the value
		 */
		public void setThreadNamePrefix(String threadNamePrefix) {
			this.threadNamePrefix = threadNamePrefix;
		}

		/**
		 * Returns {@code debug}: Whether debug mode is on: callbacks slower than the slow-callback duration are logged by name.
		 * @return the value
		 */
		public boolean isDebug() {
			return this.debug;
		}

		/**
		 * Sets {@code debug}: Whether debug mode is on: callbacks slower than the slow-callback duration are logged by name.
		 * @param debug the value
		 */
		public void setDebug(boolean debug) {
			this.debug = debug;
		}

		/**
		 * Returns {@code slow-callback-duration}: Callbacks running longer than this are logged as slow, in debug mode.
		 * @return the value
		 */
		public Duration getSlowCallbackDuration() {
			return this.slowCallbackDuration;
		}

		/**
		 * Sets {@code slow-callback-duration}: Callbacks running longer than this are logged as slow, in debug mode.
		 * @param slowCallbackDuration the value
		 */
		public void setSlowCallbackDuration(Duration slowCallbackDuration) {
			this.slowCallbackDuration = slowCallbackDuration;
		}

		/**
		 * Returns {@code exit-on-fatal-error}: Whether the process exits when an event loop dies of a fatal error such as OutOfMemoryError. Liveness goes to BROKEN either way. /
		 * @return the value
		 */
		public boolean isExitOnFatalError() {
			return this.exitOnFatalError;
		}

		/**
		 * Sets {@code exit-on-fatal-error}: Whether the process exits when an event loop dies of a fatal error such as OutOfMemoryError. Liveness goes to BROKEN either way. /
		 * @param exitOnFatalError the value
		 */
		public void setExitOnFatalError(boolean exitOnFatalError) {
			this.exitOnFatalError = exitOnFatalError;
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
		 * Returns {@code drain-delay}: How long endpoints keep accepting after readiness goes to REFUSING_TRAFFIC on shutdown, so load balancers stop sending new connections before the endpoints stop accepting and drain. /
		 * @return the value
		 */
		public Duration getDrainDelay() {
			return this.drainDelay;
		}

		/**
		 * Sets {@code drain-delay}: How long endpoints keep accepting after readiness goes to REFUSING_TRAFFIC on shutdown, so load balancers stop sending new connections before the endpoints stop accepting and drain. /
		 * @param drainDelay the value
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
		 * Returns {@code kind}: Kind of endpoint. When not set: udp for a DatagramProtocol, unix when a path is set, tcp otherwise. /
		 * @return the value
		 */
		public EndpointKind getKind() {
			return this.kind;
		}

		/**
		 * Sets {@code kind}: Kind of endpoint. When not set: udp for a DatagramProtocol, unix when a path is set, tcp otherwise. /
		 * @param kind the value
		 */
		public void setKind(EndpointKind kind) {
			this.kind = kind;
		}

		/**
		 * Returns {@code enabled}: Whether to start the endpoint.
		 * @return the value
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets {@code enabled}: Whether to start the endpoint.
		 * @param enabled the value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Returns {@code host}: Network address to bind (tcp, udp). All interfaces when not set, as server.address does.
		 * @return the value
		 */
		public String getHost() {
			return this.host;
		}

		/**
		 * Sets {@code host}: Network address to bind (tcp, udp). All interfaces when not set, as server.address does.
		 * @param host the value
		 */
		public void setHost(String host) {
			this.host = host;
		}

		/**
		 * Returns {@code port}: Port to bind (tcp, udp); 0 picks a free port.
		 * @return the value
		 */
		public Integer getPort() {
			return this.port;
		}

		/**
		 * Sets {@code port}: Port to bind (tcp, udp); 0 picks a free port.
		 * @param port the value
		 */
		public void setPort(Integer port) {
			this.port = port;
		}

		/**
		 * Returns {@code path}: Path of the Unix domain socket file (unix).
		 * @return the value
		 */
		public String getPath() {
			return this.path;
		}

		/**
		 * Sets {@code path}: Path of the Unix domain socket file (unix).
		 * @param path the value
		 */
		public void setPath(String path) {
			this.path = path;
		}

		/**
		 * Returns {@code backlog}: Maximum number of pending connections, also the most accepted per wake-up (tcp, unix). Defaults to the operating system's limit (net.core.somaxconn). /
		 * @return the value
		 */
		public Integer getBacklog() {
			return this.backlog;
		}

		/**
		 * Sets {@code backlog}: Maximum number of pending connections, also the most accepted per wake-up (tcp, unix). Defaults to the operating system's limit (net.core.somaxconn). /
		 * @param backlog the value
		 */
		public void setBacklog(Integer backlog) {
			this.backlog = backlog;
		}

		/**
		 * Returns {@code reuse-address}: Whether to set SO_REUSEADDR on the listening socket (tcp).
		 * @return the value
		 */
		public boolean isReuseAddress() {
			return this.reuseAddress;
		}

		/**
		 * Sets {@code reuse-address}: Whether to set SO_REUSEADDR on the listening socket (tcp).
		 * @param reuseAddress the value
		 */
		public void setReuseAddress(boolean reuseAddress) {
			this.reuseAddress = reuseAddress;
		}

		/**
		 * Returns {@code reuse-port}: Whether to set SO_REUSEPORT, so several processes can share the port (tcp, udp).
		 * @return the value
		 */
		public boolean isReusePort() {
			return this.reusePort;
		}

		/**
		 * Sets {@code reuse-port}: Whether to set SO_REUSEPORT, so several processes can share the port (tcp, udp).
		 * @param reusePort the value
		 */
		public void setReusePort(boolean reusePort) {
			this.reusePort = reusePort;
		}

		/**
		 * Returns {@code keep-alive}: Whether to set SO_KEEPALIVE on accepted connections (tcp).
		 * @return the value
		 */
		public boolean isKeepAlive() {
			return this.keepAlive;
		}

		/**
		 * Sets {@code keep-alive}: Whether to set SO_KEEPALIVE on accepted connections (tcp).
		 * @param keepAlive the value
		 */
		public void setKeepAlive(boolean keepAlive) {
			this.keepAlive = keepAlive;
		}

		/**
		 * Returns {@code receive-buffer}: Largest datagram delivered; larger ones are dropped and reported to errorReceived (udp).
		 * @return the value
		 */
		public DataSize getReceiveBuffer() {
			return this.receiveBuffer;
		}

		/**
		 * Sets {@code receive-buffer}: Largest datagram delivered; larger ones are dropped and reported to errorReceived (udp).
		 * @param receiveBuffer the value
		 */
		public void setReceiveBuffer(DataSize receiveBuffer) {
			this.receiveBuffer = receiveBuffer;
		}

		/**
		 * Returns {@code write-buffer}: Write-buffer flow control of each connection.
		 * @return the value
		 */
		public WriteBuffer getWriteBuffer() {
			return this.writeBuffer;
		}

		/**
		 * Returns {@code idle-timeout}: Connections that neither read nor write for this long are closed (tcp, unix). None when not set or 0.
		 * @return the value
		 */
		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		/**
		 * Sets {@code idle-timeout}: Connections that neither read nor write for this long are closed (tcp, unix). None when not set or 0.
		 * @param idleTimeout the value
		 */
		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		/**
		 * Returns {@code read-timeout}: Connections that receive nothing for this long are closed (tcp, unix). None when not set or 0.
		 * @return the value
		 */
		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		/**
		 * Sets {@code read-timeout}: Connections that receive nothing for this long are closed (tcp, unix). None when not set or 0.
		 * @param readTimeout the value
		 */
		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		/**
		 * Returns {@code linger-timeout}: How long a closed connection keeps reading and discarding input after its end of stream, so unread input does not make the kernel reset it and drop what the peer has not received; 0 closes at once (tcp, unix). /
		 * @return the value
		 */
		public Duration getLingerTimeout() {
			return this.lingerTimeout;
		}

		/**
		 * Sets {@code linger-timeout}: How long a closed connection keeps reading and discarding input after its end of stream, so unread input does not make the kernel reset it and drop what the peer has not received; 0 closes at once (tcp, unix). /
		 * @param lingerTimeout the value
		 */
		public void setLingerTimeout(Duration lingerTimeout) {
			this.lingerTimeout = lingerTimeout;
		}

		/**
		 * Returns {@code max-connections}: Most connections open at once; more are closed as soon as accepted (tcp, unix). 0 for no limit.
		 * @return the value
		 */
		public int getMaxConnections() {
			return this.maxConnections;
		}

		/**
		 * Sets {@code max-connections}: Most connections open at once; more are closed as soon as accepted (tcp, unix). 0 for no limit.
		 * @param maxConnections the value
		 */
		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		/**
		 * Returns {@code max-connections-per-address}: Most connections open at once from one client address (tcp). 0 for no limit.
		 * @return the value
		 */
		public int getMaxConnectionsPerAddress() {
			return this.maxConnectionsPerAddress;
		}

		/**
		 * Sets {@code max-connections-per-address}: Most connections open at once from one client address (tcp). 0 for no limit.
		 * @param maxConnectionsPerAddress the value
		 */
		public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
			this.maxConnectionsPerAddress = maxConnectionsPerAddress;
		}

		/**
		 * Returns {@code proxy-protocol}: Whether connections start with a PROXY protocol header naming the real client (tcp, unix).
		 * @return the value
		 */
		public ProxyProtocol getProxyProtocol() {
			return this.proxyProtocol;
		}

		/**
		 * Sets {@code proxy-protocol}: Whether connections start with a PROXY protocol header naming the real client (tcp, unix).
		 * @param proxyProtocol the value
		 */
		public void setProxyProtocol(ProxyProtocol proxyProtocol) {
			this.proxyProtocol = proxyProtocol;
		}

		/**
		 * Returns {@code file-mode}: Permissions of the socket file, such as rw-rw---- (unix). Defaults to rw------- (owner only).
		 * @return the value
		 */
		public String getFileMode() {
			return this.fileMode;
		}

		/**
		 * Sets {@code file-mode}: Permissions of the socket file, such as rw-rw---- (unix). Defaults to rw------- (owner only).
		 * @param fileMode the value
		 */
		public void setFileMode(String fileMode) {
			this.fileMode = fileMode;
		}

		/**
		 * Returns {@code ssl}: TLS of the endpoint's connections (tcp, unix).
		 * @return the value
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
		 * Returns {@code bundle}: Name of the SSL bundle (spring.ssl.bundle.*) that serves TLS. Plain connections when not set or empty.
		 * @return the value
		 */
		public String getBundle() {
			return this.bundle;
		}

		/**
		 * Sets {@code bundle}: Name of the SSL bundle (spring.ssl.bundle.*) that serves TLS. Plain connections when not set or empty.
		 * @param bundle the value
		 */
		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

		/**
		 * Returns {@code client-auth}: Whether clients must present a certificate the bundle's trust store verifies. Defaults to none.
		 * @return the value
		 */
		public ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		/**
		 * Sets {@code client-auth}: Whether clients must present a certificate the bundle's trust store verifies. Defaults to none.
		 * @param clientAuth the value
		 */
		public void setClientAuth(ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		/**
		 * Returns {@code handshake-timeout}: How long a TLS handshake may take; a client that has not completed it by then is disconnected.
		 * @return the value
		 */
		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		/**
		 * Sets {@code handshake-timeout}: How long a TLS handshake may take; a client that has not completed it by then is disconnected.
		 * @param handshakeTimeout the value
		 */
		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

		/**
		 * Returns {@code shutdown-timeout}: How long a closing connection waits for the peer's close_notify before it is aborted.
		 * @return the value
		 */
		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		/**
		 * Sets {@code shutdown-timeout}: How long a closing connection waits for the peer's close_notify before it is aborted.
		 * @param shutdownTimeout the value
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
		 * Returns {@code high}: High watermark: the protocol's pauseWriting is called when the buffer goes over it.
		 * @return the value
		 */
		public DataSize getHigh() {
			return this.high;
		}

		/**
		 * Sets {@code high}: High watermark: the protocol's pauseWriting is called when the buffer goes over it.
		 * @param high the value
		 */
		public void setHigh(DataSize high) {
			this.high = high;
		}

		/**
		 * Returns {@code low}: Low watermark: resumeWriting is called when the buffer drains to it. Defaults to a quarter of high.
		 * @return the value
		 */
		public DataSize getLow() {
			return this.low;
		}

		/**
		 * Sets {@code low}: Low watermark: resumeWriting is called when the buffer drains to it. Defaults to a quarter of high.
		 * @param low the value
		 */
		public void setLow(DataSize low) {
			this.low = low;
		}

		/**
		 * Returns {@code max}: Hard cap: a connection whose buffer goes over it is aborted, as its protocol kept writing to a peer that does not read (for udp: the queue of datagrams to send). -1 for none. /
		 * @return the value
		 */
		public DataSize getMax() {
			return this.max;
		}

		/**
		 * Sets {@code max}: Hard cap: a connection whose buffer goes over it is aborted, as its protocol kept writing to a peer that does not read (for udp: the queue of datagrams to send). -1 for none. /
		 * @param max the value
		 */
		public void setMax(DataSize max) {
			this.max = max;
		}

	}

}
