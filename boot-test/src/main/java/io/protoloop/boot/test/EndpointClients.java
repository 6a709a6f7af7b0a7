package io.protoloop.boot.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;

import org.springframework.core.env.Environment;

/**
 * Opens blocking test clients to the application's endpoints by endpoint name: it finds where each listens in
 * {@code local.protoloop.endpoints.<name>.port} (or {@code .path}), which the endpoints publish once bound. Every
 * wait of a client is bounded by its timeout ({@link #DEFAULT_TIMEOUT} unless set), and every failure is an
 * {@link AssertionError} that names the endpoint and shows what arrived.
 */
public final class EndpointClients {

	/** How long a client waits for a connection, bytes or an end of stream, unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final Environment environment;

	/**
	 * Creates the clients of the endpoints whose addresses are published in {@code environment}.
	 * @param environment the application's environment
	 */
	public EndpointClients(Environment environment) {
		this.environment = environment;
	}

	/**
	 * Connects to a stream endpoint (tcp or unix).
	 * @param endpoint the endpoint's name
	 * @return the connected client
	 * @throws AssertionError if the endpoint is not listening or the connection fails
	 */
	public EndpointClient connect(String endpoint) {
		return EndpointClient.connect(endpoint, address(endpoint), DEFAULT_TIMEOUT);
	}

	/**
	 * Opens a client of a udp endpoint.
	 * @param endpoint the endpoint's name
	 * @return the client, connected to the endpoint's address
	 * @throws AssertionError if the endpoint is not listening
	 */
	public EndpointDatagramClient datagram(String endpoint) {
		if (!(address(endpoint) instanceof InetSocketAddress address)) {
			throw new AssertionError("Endpoint '" + endpoint + "' is a unix endpoint, not a udp one");
		}
		return EndpointDatagramClient.open(endpoint, address, DEFAULT_TIMEOUT);
	}

	/**
	 * Returns where an endpoint listens: its loopback address (or the specific address it binds) and port, or its
	 * socket file.
	 * @param endpoint the endpoint's name
	 * @return the address to connect to
	 * @throws AssertionError if the endpoint is not listening
	 */
	public SocketAddress address(String endpoint) {
		String published = "local.protoloop.endpoints." + endpoint;
		String path = this.environment.getProperty(published + ".path");
		if (path != null) {
			return UnixDomainSocketAddress.of(path);
		}
		Integer port = this.environment.getProperty(published + ".port", Integer.class);
		if (port == null) {
			throw new AssertionError("Endpoint '" + endpoint + "' is not listening: neither " + published
					+ ".port nor " + published + ".path is set. Is a class annotated @ProtocolEndpoint(\"" + endpoint
					+ "\"), and is the endpoint in the test's @ProtocolEndpointTest names?");
		}
		String host = this.environment.getProperty("protoloop.endpoints." + endpoint + ".host");
		return isAnyAddress(host) ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
				: new InetSocketAddress(host, port);
	}

	/** Whether an endpoint's {@code host} binds every interface (unset, or a wildcard address) rather than one. */
	static boolean isAnyAddress(String host) {
		return host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
	}

}
