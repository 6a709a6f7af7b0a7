package io.protoloop.boot.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.diagnostics.InvalidConfigurationException;
import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.boot.ssl.SslBundleTlsOptions;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tls.ClientAuth;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WriteBufferLimits;
import io.protoloop.udp.DatagramOptions;

/**
 * Pairs each {@code @ProtocolEndpoint} bean with its {@code protoloop.endpoints.<name>} entry and checks that
 * the pair can work, before anything binds. Every problem fails startup with the property and the fix.
 */
final class EndpointDefinitionResolver {

	private static final String PREFIX = "protoloop.endpoints.";

	/** Where Linux keeps its limit on listen backlogs. */
	private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

	/** The backlog limit where the system's cannot be read: Linux's before 5.4, and macOS's. */
	private static final int DEFAULT_SYSTEM_BACKLOG = 128;

	private final ConfigurableListableBeanFactory beanFactory;

	private final Map<String, ProtoloopProperties.Endpoint> endpoints;

	/** Where {@code ssl.bundle} names are looked up; absent when Boot's SSL auto-configuration is excluded. */
	private final ObjectProvider<SslBundles> sslBundles;

	/** The backlog of endpoints that do not set one. */
	private final int systemBacklog;

	EndpointDefinitionResolver(ConfigurableListableBeanFactory beanFactory, ProtoloopProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		this.beanFactory = beanFactory;
		this.endpoints = properties.getEndpoints();
		this.sslBundles = sslBundles;
		this.systemBacklog = systemBacklog(SOMAXCONN);
	}

	List<EndpointDefinition> resolve() {
		Map<String, ProtocolEndpointBeans.Found> beans = annotatedBeans();
		for (String name : this.endpoints.keySet()) {
			if (!beans.containsKey(name) && this.endpoints.get(name).isEnabled()) {
				throw new InvalidConfigurationException(PREFIX + name,
						"Endpoint '" + name + "' is configured but no bean is annotated @ProtocolEndpoint(\"" + name
								+ "\")",
						"Annotate the protocol class with @ProtocolEndpoint(\"" + name + "\") (and make sure component "
								+ "scanning finds it), or remove " + PREFIX + name + " or set " + PREFIX + name
								+ ".enabled=false.");
			}
		}
		List<EndpointDefinition> definitions = new ArrayList<>();
		beans.forEach((name, bean) -> {
			ProtoloopProperties.Endpoint endpoint = this.endpoints.get(name);
			if (endpoint == null) {
				throw new InvalidConfigurationException(PREFIX + name,
						"Bean '" + bean.beanName() + "' is annotated @ProtocolEndpoint(\"" + name + "\") but " + PREFIX
								+ name + " is not configured",
						"Configure the endpoint, for example " + PREFIX + name + ".port=0 (a free port) or "
								+ PREFIX + name + ".enabled=false to keep it off.");
			}
			if (endpoint.isEnabled()) {
				definitions.add(definition(name, bean.beanName(), bean.type(), endpoint));
			}
		});
		return definitions;
	}

	/** Returns the bean of each endpoint name, failing on two beans claiming one name. */
	private Map<String, ProtocolEndpointBeans.Found> annotatedBeans() {
		Map<String, ProtocolEndpointBeans.Found> beans = new LinkedHashMap<>();
		for (ProtocolEndpointBeans.Found bean : ProtocolEndpointBeans.find(this.beanFactory)) {
			ProtocolEndpointBeans.Found other = beans.put(bean.endpoint(), bean);
			if (other != null) {
				throw new InvalidConfigurationException(PREFIX + bean.endpoint(),
						"Beans '" + other.beanName() + "' and '" + bean.beanName()
								+ "' are both annotated @ProtocolEndpoint(\"" + bean.endpoint() + "\")",
						"Give each protocol its own endpoint name.");
			}
		}
		return beans;
	}

	private EndpointDefinition definition(String name, String beanName, Class<?> type,
			ProtoloopProperties.Endpoint endpoint) {
		EndpointKind kind = kind(name, beanName, type, endpoint);
		String prefix = PREFIX + name + ".";
		if (kind == EndpointKind.UNIX) {
			require(endpoint.getPath() != null && !endpoint.getPath().isBlank(), name, prefix + "path",
					"is a unix endpoint without a socket path", "Set " + prefix + "path to the socket file to create.");
			require(endpoint.getPort() == null, name, prefix + "port", "is a unix endpoint and cannot have a port",
					"Remove " + prefix + "port, or set " + prefix + "kind=tcp.");
		}
		else {
			require(endpoint.getPort() != null, name, prefix + "port", "has no port",
					"Set " + prefix + "port (0 picks a free port).");
			require(endpoint.getPort() >= 0 && endpoint.getPort() <= 65535, name, prefix + "port",
					"has port " + endpoint.getPort() + ", outside 0-65535",
					"Set " + prefix + "port between 0 and 65535 (0 picks a free port).");
			require(endpoint.getPath() == null, name, prefix + "path", "is a " + kind.name().toLowerCase()
					+ " endpoint and cannot have a path", "Remove " + prefix + "path, or set " + prefix + "kind=unix.");
		}
		int backlog = (endpoint.getBacklog() != null) ? endpoint.getBacklog() : this.systemBacklog;
		require(backlog >= 1, name, prefix + "backlog", "has backlog " + backlog,
				"Set " + prefix + "backlog to 1 or more, or remove it to follow the operating system's limit.");
		long receiveBuffer = endpoint.getReceiveBuffer().toBytes();
		require(receiveBuffer >= 1 && receiveBuffer <= DatagramOptions.MAX_DATAGRAM_SIZE, name,
				prefix + "receive-buffer", "has receive-buffer " + endpoint.getReceiveBuffer(),
				"Set " + prefix + "receive-buffer between 1B and " + DatagramOptions.MAX_DATAGRAM_SIZE
						+ "B (the largest UDP datagram).");
		connectionLimits(name, kind, endpoint);
		return new EndpointDefinition(name, kind, beanName, endpoint.getHost(),
				(endpoint.getPort() != null) ? endpoint.getPort() : 0, endpoint.getPath(), backlog,
				endpoint.isReuseAddress(), endpoint.isReusePort(), endpoint.isKeepAlive(), (int) receiveBuffer,
				endpoint.getMaxConnections(), endpoint.getMaxConnectionsPerAddress(), fileMode(name, kind, endpoint),
				proxyProtocol(name, kind, endpoint),
				transportSettings(name, kind, endpoint).withTls(tls(name, kind, endpoint.getSsl())),
				bundleName(endpoint.getSsl()));
	}

	/** Returns the SSL bundle that serves the endpoint's TLS, or {@code null}: an empty name turns TLS off. */
	private static String bundleName(ProtoloopProperties.Ssl ssl) {
		return StringUtils.hasText(ssl.getBundle()) ? ssl.getBundle() : null;
	}

	/** Returns how the endpoint's connections speak TLS, or {@code null} for plain connections. */
	private TlsOptions tls(String name, EndpointKind kind, ProtoloopProperties.Ssl ssl) {
		String prefix = PREFIX + name + ".ssl.";
		String bundleName = bundleName(ssl);
		if (bundleName == null) {
			require(ssl.getClientAuth() == null, name, prefix + "client-auth", "has ssl.client-auth but no ssl.bundle",
					"Set " + prefix + "bundle to the SSL bundle that serves TLS, or remove " + prefix + "client-auth.");
			return null;
		}
		require(kind != EndpointKind.UDP, name, prefix + "bundle", "is udp: TLS needs a stream (DTLS is not "
				+ "supported)", "Remove " + prefix + "bundle, or make the endpoint tcp or unix.");
		require(isPositive(ssl.getHandshakeTimeout()), name, prefix + "handshake-timeout",
				"has handshake-timeout " + print(ssl.getHandshakeTimeout()),
				"Set " + prefix + "handshake-timeout to a positive duration (default 60s).");
		require(isPositive(ssl.getShutdownTimeout()), name, prefix + "shutdown-timeout",
				"has shutdown-timeout " + print(ssl.getShutdownTimeout()),
				"Set " + prefix + "shutdown-timeout to a positive duration (default 30s).");
		require(ssl.getDelegatedTaskBudget() != null && !ssl.getDelegatedTaskBudget().isNegative(), name,
				prefix + "delegated-task-budget", "has delegated-task-budget " + print(ssl.getDelegatedTaskBudget()),
				"Set " + prefix + "delegated-task-budget to 0 (every task on the executor) or a positive duration "
						+ "(default 1ms).");
		SslBundles bundles = this.sslBundles.getIfAvailable();
		require(bundles != null, name, prefix + "bundle", "names SSL bundle '" + bundleName
				+ "' but the application has no SslBundles bean", "Do not exclude Spring Boot's SslAutoConfiguration, "
						+ "or define an SslBundles bean.");
		try {
			require(bundles.getBundle(bundleName).getStores().getKeyStore() != null, name, prefix + "bundle",
					"uses SSL bundle '" + bundleName + "', which has no key store: a server needs a key and its "
							+ "certificate", "Configure the bundle's keystore (spring.ssl.bundle.pem." + bundleName
									+ ".keystore.certificate and .private-key, or spring.ssl.bundle.jks."
									+ bundleName + ".keystore.location).");
			return SslBundleTlsOptions.builder(bundles, bundleName)
				.clientAuth((ssl.getClientAuth() != null) ? ssl.getClientAuth() : ClientAuth.NONE)
				.handshakeTimeout(ssl.getHandshakeTimeout())
				.shutdownTimeout(ssl.getShutdownTimeout())
				.delegatedTaskBudget(ssl.getDelegatedTaskBudget())
				.build();
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationException(prefix + "bundle", "Endpoint '" + name + "' names SSL bundle '"
					+ bundleName + "', which is not configured (configured bundles: "
					+ (bundles.getBundleNames().isEmpty() ? "none" : String.join(", ", bundles.getBundleNames()))
					+ ")", "Configure SSL bundle '" + bundleName + "' under spring.ssl.bundle.pem." + bundleName
							+ " or spring.ssl.bundle.jks." + bundleName + ", or set " + prefix
							+ "bundle to a configured bundle.");
		}
	}

	private static boolean isPositive(Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	private static String print(Duration duration) {
		return (duration != null) ? DurationStyle.SIMPLE.print(duration) : "none";
	}

	/** The connection limits: counts of connections, so a udp endpoint, which has none, cannot have them. */
	private static void connectionLimits(String name, EndpointKind kind, ProtoloopProperties.Endpoint endpoint) {
		String prefix = PREFIX + name + ".";
		require(endpoint.getMaxConnections() >= 0, name, prefix + "max-connections",
				"has max-connections " + endpoint.getMaxConnections(),
				"Set " + prefix + "max-connections to 1 or more, or 0 for no limit.");
		require(endpoint.getMaxConnectionsPerAddress() >= 0, name, prefix + "max-connections-per-address",
				"has max-connections-per-address " + endpoint.getMaxConnectionsPerAddress(),
				"Set " + prefix + "max-connections-per-address to 1 or more, or 0 for no limit.");
		require(kind != EndpointKind.UDP || endpoint.getMaxConnections() == 0, name, prefix + "max-connections",
				"is udp: it has no connections to limit", "Remove " + prefix + "max-connections.");
		require(kind == EndpointKind.TCP || endpoint.getMaxConnectionsPerAddress() == 0, name,
				prefix + "max-connections-per-address", "is " + kind.name().toLowerCase()
						+ ": only tcp connections come from a client address",
				"Remove " + prefix + "max-connections-per-address.");
	}

	/** A PROXY protocol header starts a stream connection; a datagram endpoint has none. */
	private static ProxyProtocol proxyProtocol(String name, EndpointKind kind, ProtoloopProperties.Endpoint endpoint) {
		String property = PREFIX + name + ".proxy-protocol";
		require(kind != EndpointKind.UDP || endpoint.getProxyProtocol() == ProxyProtocol.OFF, name, property,
				"is udp: PROXY protocol headers start stream connections", "Remove " + property + ".");
		return endpoint.getProxyProtocol();
	}

	private static Set<PosixFilePermission> fileMode(String name, EndpointKind kind,
			ProtoloopProperties.Endpoint endpoint) {
		String property = PREFIX + name + ".file-mode";
		String mode = endpoint.getFileMode();
		if (mode == null) {
			return ServerOptions.OWNER_ONLY;
		}
		require(kind == EndpointKind.UNIX, name, property, "is " + kind.name().toLowerCase()
				+ " and has no socket file to set a file-mode on", "Remove " + property + ".");
		try {
			return PosixFilePermissions.fromString(mode);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException(property, "Endpoint '" + name + "' has file-mode '" + mode
					+ "', which is not a permission string", "Set " + property
							+ " to nine characters as ls shows them, such as rw-rw---- (owner and group may connect).");
		}
	}

	/** What every transport of the endpoint starts with: watermarks, the write cap, timeouts, the linger. */
	private static TransportSettings transportSettings(String name, EndpointKind kind,
			ProtoloopProperties.Endpoint endpoint) {
		String prefix = PREFIX + name + ".";
		WriteBufferLimits limits = writeBufferLimits(name, endpoint.getWriteBuffer());
		long max = endpoint.getWriteBuffer().getMax().toBytes();
		require(max < 0 || max >= limits.high(), name, prefix + "write-buffer.max",
				"has write-buffer.max " + max + "B, below write-buffer.high " + limits.high() + "B",
				"Set " + prefix + "write-buffer.max to at least write-buffer.high, or -1 for no cap (default 16MB).");
		Duration idle = timeout(name, kind, prefix + "idle-timeout", endpoint.getIdleTimeout());
		Duration read = timeout(name, kind, prefix + "read-timeout", endpoint.getReadTimeout());
		Duration linger = endpoint.getLingerTimeout();
		require(!linger.isNegative(), name, prefix + "linger-timeout", "has a negative linger-timeout",
				"Set " + prefix + "linger-timeout to 0s (close at once) or more (default 10s).");
		return new TransportSettings(limits, TransportRecorder.NONE, (max < 0) ? -1 : max, idle, read, linger, null);
	}

	/** Returns an idle or read timeout, {@code Duration.ZERO} for none. */
	private static Duration timeout(String name, EndpointKind kind, String property, Duration timeout) {
		if (timeout == null) {
			return Duration.ZERO;
		}
		require(!timeout.isNegative(), name, property, "has a negative timeout",
				"Set " + property + " to a positive duration such as 5m, or 0 for none.");
		require(kind != EndpointKind.UDP || timeout.isZero(), name, property,
				"is udp: a timeout would close the endpoint itself, not one peer", "Remove " + property + ".");
		return timeout;
	}

	private EndpointKind kind(String name, String beanName, Class<?> type, ProtoloopProperties.Endpoint endpoint) {
		String property = PREFIX + name + ".kind";
		boolean datagram = type != null && DatagramProtocol.class.isAssignableFrom(type);
		boolean stream = type != null && StreamProtocol.class.isAssignableFrom(type);
		require(datagram || stream, name, property, "is served by bean '" + beanName + "' of type "
				+ ((type != null) ? type.getName() : "unknown")
				+ ", which is neither a stream protocol nor a DatagramProtocol",
				"Make the class implement Protocol, BufferedProtocol or DatagramProtocol.");
		EndpointKind kind = endpoint.getKind();
		if (kind == null) {
			kind = datagram ? EndpointKind.UDP : (endpoint.getPath() != null) ? EndpointKind.UNIX : EndpointKind.TCP;
		}
		if (kind == EndpointKind.UDP) {
			require(datagram, name, property, "is udp but its protocol " + type.getName()
					+ " is not a DatagramProtocol", "Set " + property + " to tcp or unix, or implement DatagramProtocol.");
		}
		else {
			require(stream, name, property, "is " + kind.name().toLowerCase() + " but its protocol " + type.getName()
					+ " is a DatagramProtocol", "Set " + property + "=udp (or leave it unset).");
			require(this.beanFactory.getMergedBeanDefinition(beanName).isPrototype(), name, property,
					"needs a new protocol per connection but bean '" + beanName + "' is not prototype-scoped",
					"Remove the @Scope that overrides @ProtocolEndpoint's prototype scope.");
		}
		return kind;
	}

	private static WriteBufferLimits writeBufferLimits(String name, ProtoloopProperties.WriteBuffer writeBuffer) {
		String prefix = PREFIX + name + ".write-buffer.";
		long high = writeBuffer.getHigh().toBytes();
		require(high >= 0 && high <= Integer.MAX_VALUE, name, prefix + "high", "has write-buffer.high " + writeBuffer.getHigh(),
				"Set " + prefix + "high between 0B and 2GB (default 64KB).");
		DataSize lowSize = writeBuffer.getLow();
		long low = (lowSize != null) ? lowSize.toBytes() : high / 4;
		require(low >= 0 && low <= high, name, prefix + "low", "has write-buffer.low " + low
				+ "B, more than write-buffer.high " + high + "B or negative",
				"Set " + prefix + "low between 0B and " + prefix + "high (default: a quarter of high).");
		return new WriteBufferLimits((int) high, (int) low);
	}

	/**
	 * Returns the operating system's limit on listen backlogs, which a larger backlog is cut down to: Linux's
	 * {@code net.core.somaxconn}, read from {@code file}, or 128 (the usual limit) where it cannot be read.
	 */
	static int systemBacklog(Path file) {
		// Read line by line: procfs reports a size of 0, and Files.readString then returns only the first byte
		// ("4" for 4096), a backlog so small that connects stall (found by the demo's soak test).
		try (BufferedReader reader = Files.newBufferedReader(file)) {
			return Integer.parseInt(reader.readLine().trim());
		}
		catch (IOException | NumberFormatException | NullPointerException ex) {
			return DEFAULT_SYSTEM_BACKLOG;
		}
	}

	private static void require(boolean condition, String name, String property, String problem, String action) {
		if (!condition) {
			throw new InvalidConfigurationException(property, "Endpoint '" + name + "' " + problem, action);
		}
	}

}
