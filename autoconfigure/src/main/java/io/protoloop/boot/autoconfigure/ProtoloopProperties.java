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

	public Loop getLoop() {
		return this.loop;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

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

		public Integer getThreads() {
			return this.threads;
		}

		public void setThreads(Integer threads) {
			this.threads = threads;
		}

		public String getThreadNamePrefix() {
			return this.threadNamePrefix;
		}

		public void setThreadNamePrefix(String threadNamePrefix) {
			this.threadNamePrefix = threadNamePrefix;
		}

		public boolean isDebug() {
			return this.debug;
		}

		public void setDebug(boolean debug) {
			this.debug = debug;
		}

		public Duration getSlowCallbackDuration() {
			return this.slowCallbackDuration;
		}

		public void setSlowCallbackDuration(Duration slowCallbackDuration) {
			this.slowCallbackDuration = slowCallbackDuration;
		}

		public boolean isExitOnFatalError() {
			return this.exitOnFatalError;
		}

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

		public Duration getDrainDelay() {
			return this.drainDelay;
		}

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

		public EndpointKind getKind() {
			return this.kind;
		}

		public void setKind(EndpointKind kind) {
			this.kind = kind;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public Integer getPort() {
			return this.port;
		}

		public void setPort(Integer port) {
			this.port = port;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Integer getBacklog() {
			return this.backlog;
		}

		public void setBacklog(Integer backlog) {
			this.backlog = backlog;
		}

		public boolean isReuseAddress() {
			return this.reuseAddress;
		}

		public void setReuseAddress(boolean reuseAddress) {
			this.reuseAddress = reuseAddress;
		}

		public boolean isReusePort() {
			return this.reusePort;
		}

		public void setReusePort(boolean reusePort) {
			this.reusePort = reusePort;
		}

		public boolean isKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(boolean keepAlive) {
			this.keepAlive = keepAlive;
		}

		public DataSize getReceiveBuffer() {
			return this.receiveBuffer;
		}

		public void setReceiveBuffer(DataSize receiveBuffer) {
			this.receiveBuffer = receiveBuffer;
		}

		public WriteBuffer getWriteBuffer() {
			return this.writeBuffer;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public Duration getLingerTimeout() {
			return this.lingerTimeout;
		}

		public void setLingerTimeout(Duration lingerTimeout) {
			this.lingerTimeout = lingerTimeout;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getMaxConnectionsPerAddress() {
			return this.maxConnectionsPerAddress;
		}

		public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
			this.maxConnectionsPerAddress = maxConnectionsPerAddress;
		}

		public ProxyProtocol getProxyProtocol() {
			return this.proxyProtocol;
		}

		public void setProxyProtocol(ProxyProtocol proxyProtocol) {
			this.proxyProtocol = proxyProtocol;
		}

		public String getFileMode() {
			return this.fileMode;
		}

		public void setFileMode(String fileMode) {
			this.fileMode = fileMode;
		}

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

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

		public ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Duration getDelegatedTaskBudget() {
			return this.delegatedTaskBudget;
		}

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

		public DataSize getHigh() {
			return this.high;
		}

		public void setHigh(DataSize high) {
			this.high = high;
		}

		public DataSize getLow() {
			return this.low;
		}

		public void setLow(DataSize low) {
			this.low = low;
		}

		public DataSize getMax() {
			return this.max;
		}

		public void setMax(DataSize max) {
			this.max = max;
		}

	}

}
