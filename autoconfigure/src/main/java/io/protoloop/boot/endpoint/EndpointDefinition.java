package io.protoloop.boot.endpoint;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import io.protoloop.boot.EndpointKind;
import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.transport.TransportSettings;

/**
 * A validated endpoint: what to bind, which protocol bean serves it, and the guards of its connections.
 * @param name the endpoint's name
 * @param kind the kind of socket
 * @param beanName the name of the protocol bean
 * @param host the host to bind, or {@code null} for all interfaces (tcp, udp)
 * @param port the port to bind, 0 for a free one (tcp, udp)
 * @param path the socket file (unix)
 * @param backlog the listen backlog (tcp, unix)
 * @param reuseAddress whether to set SO_REUSEADDR (tcp)
 * @param reusePort whether to set SO_REUSEPORT (tcp, udp)
 * @param keepAlive whether to set SO_KEEPALIVE on accepted connections (tcp)
 * @param receiveBufferSize the largest datagram delivered (udp)
 * @param maxConnections the most connections open at once, 0 for no limit (tcp, unix)
 * @param maxConnectionsPerAddress the most connections open at once from one client address, 0 for no limit (tcp)
 * @param fileMode the permissions of the socket file (unix)
 * @param proxyProtocol whether connections start with a PROXY protocol header (tcp, unix)
 * @param transportSettings what each transport starts with: watermarks, write cap, timeouts, linger, TLS; its
 * recorder is set when the endpoint starts
 * @param sslBundle the name of the SSL bundle that serves TLS, or {@code null} for plain connections (tcp, unix)
 */
public record EndpointDefinition(String name, EndpointKind kind, String beanName, String host, int port, String path,
		int backlog, boolean reuseAddress, boolean reusePort, boolean keepAlive, int receiveBufferSize,
		int maxConnections, int maxConnectionsPerAddress, Set<PosixFilePermission> fileMode,
		ProxyProtocol proxyProtocol, TransportSettings transportSettings, String sslBundle) {

	/**
	 * Copies the file mode, so the definition stays as it was made.
	 * @param name the endpoint's name
	 * @param kind the kind of socket
	 * @param beanName the name of the protocol bean
	 * @param host the host to bind, or {@code null} for all interfaces (tcp, udp)
	 * @param port the port to bind, 0 for a free one (tcp, udp)
	 * @param path the socket file (unix)
	 * @param backlog the listen backlog (tcp, unix)
	 * @param reuseAddress whether to set SO_REUSEADDR (tcp)
	 * @param reusePort whether to set SO_REUSEPORT (tcp, udp)
	 * @param keepAlive whether to set SO_KEEPALIVE on accepted connections (tcp)
	 * @param receiveBufferSize the largest datagram delivered (udp)
	 * @param maxConnections the most connections open at once, 0 for no limit (tcp, unix)
	 * @param maxConnectionsPerAddress the most connections open at once from one client address, 0 for no limit (tcp)
	 * @param fileMode the permissions of the socket file (unix)
	 * @param proxyProtocol whether connections start with a PROXY protocol header (tcp, unix)
	 * @param transportSettings what each transport starts with: watermarks, write cap, timeouts, linger, TLS; its
	 * recorder is set when the endpoint starts
	 * @param sslBundle the name of the SSL bundle that serves TLS, or {@code null} for plain connections (tcp, unix)
	 */
	public EndpointDefinition {
		fileMode = Set.copyOf(fileMode);
	}

	/**
	 * {@return what the endpoint binds, for messages: {@code host:port} or the socket path}
	 */
	public String bindAddress() {
		return (this.kind == EndpointKind.UNIX) ? this.path
				: ((this.host != null) ? this.host : "*") + ":" + this.port;
	}

}
