package io.protoloop.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.protoloop.boot.EndpointKind;

/**
 * Configuration of Protoloop: the event loops ({@code protoloop.loop.*}) and the named endpoints
 * ({@code protoloop.endpoints.<name>.*}), each served by the {@code @ProtocolEndpoint} bean of the same name.
 */
@ConfigurationProperties("protoloop")
public class ProtoloopProperties {

	/** Event-loop settings. */
	private final Loop loop = new Loop();

	/** Endpoints, keyed by the name given in @ProtocolEndpoint. */
	private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

	public Loop getLoop() {
		return this.loop;
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

		/** Maximum number of pending connections, also the most accepted per wake-up (tcp, unix). */
		private int backlog = 100;

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

		public int getBacklog() {
			return this.backlog;
		}

		public void setBacklog(int backlog) {
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

	}

	/** Write-buffer watermarks: pauseWriting above high, resumeWriting at or below low. */
	public static class WriteBuffer {

		/** High watermark: the protocol's pauseWriting is called when the buffer goes over it. */
		private DataSize high = DataSize.ofKilobytes(64);

		/** Low watermark: resumeWriting is called when the buffer drains to it. Defaults to a quarter of high. */
		private DataSize low;

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

	}

}
