package io.protoloop.boot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.unit.DataSize;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.boot.diagnostics.InvalidConfigurationException;
import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.WriteBufferLimits;
import io.protoloop.udp.DatagramOptions;

/**
 * Pairs each {@code @ProtocolEndpoint} bean with its {@code protoloop.endpoints.<name>} entry and checks that
 * the pair can work, before anything binds. Every problem fails startup with the property and the fix.
 */
final class EndpointDefinitionResolver {

	private static final String PREFIX = "protoloop.endpoints.";

	private final ConfigurableListableBeanFactory beanFactory;

	private final Map<String, ProtoloopProperties.Endpoint> endpoints;

	EndpointDefinitionResolver(ConfigurableListableBeanFactory beanFactory, ProtoloopProperties properties) {
		this.beanFactory = beanFactory;
		this.endpoints = properties.getEndpoints();
	}

	List<EndpointDefinition> resolve() {
		Map<String, String> beans = annotatedBeans();
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
		beans.forEach((name, beanName) -> {
			ProtoloopProperties.Endpoint endpoint = this.endpoints.get(name);
			if (endpoint == null) {
				throw new InvalidConfigurationException(PREFIX + name,
						"Bean '" + beanName + "' is annotated @ProtocolEndpoint(\"" + name + "\") but " + PREFIX + name
								+ " is not configured",
						"Configure the endpoint, for example " + PREFIX + name + ".port=0 (a free port) or "
								+ PREFIX + name + ".enabled=false to keep it off.");
			}
			if (endpoint.isEnabled()) {
				definitions.add(definition(name, beanName, endpoint));
			}
		});
		return definitions;
	}

	/** Returns the bean name of each endpoint name, failing on two beans claiming one name. */
	private Map<String, String> annotatedBeans() {
		Map<String, String> beans = new LinkedHashMap<>();
		for (String beanName : this.beanFactory.getBeanNamesForAnnotation(ProtocolEndpoint.class)) {
			String name = this.beanFactory.findAnnotationOnBean(beanName, ProtocolEndpoint.class).value();
			String other = beans.put(name, beanName);
			if (other != null) {
				throw new InvalidConfigurationException(PREFIX + name,
						"Beans '" + other + "' and '" + beanName + "' are both annotated @ProtocolEndpoint(\"" + name
								+ "\")",
						"Give each protocol its own endpoint name.");
			}
		}
		return beans;
	}

	private EndpointDefinition definition(String name, String beanName, ProtoloopProperties.Endpoint endpoint) {
		Class<?> type = this.beanFactory.getType(beanName);
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
		require(endpoint.getBacklog() >= 1, name, prefix + "backlog", "has backlog " + endpoint.getBacklog(),
				"Set " + prefix + "backlog to 1 or more (default 100).");
		long receiveBuffer = endpoint.getReceiveBuffer().toBytes();
		require(receiveBuffer >= 1 && receiveBuffer <= DatagramOptions.MAX_DATAGRAM_SIZE, name,
				prefix + "receive-buffer", "has receive-buffer " + endpoint.getReceiveBuffer(),
				"Set " + prefix + "receive-buffer between 1B and " + DatagramOptions.MAX_DATAGRAM_SIZE
						+ "B (the largest UDP datagram).");
		return new EndpointDefinition(name, kind, beanName, endpoint.getHost(),
				(endpoint.getPort() != null) ? endpoint.getPort() : 0, endpoint.getPath(), endpoint.getBacklog(),
				endpoint.isReuseAddress(), endpoint.isReusePort(), endpoint.isKeepAlive(), (int) receiveBuffer,
				writeBufferLimits(name, endpoint.getWriteBuffer()));
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

	private static void require(boolean condition, String name, String property, String problem, String action) {
		if (!condition) {
			throw new InvalidConfigurationException(property, "Endpoint '" + name + "' " + problem, action);
		}
	}

}
