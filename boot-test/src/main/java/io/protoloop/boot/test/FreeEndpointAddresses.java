package io.protoloop.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

import io.protoloop.boot.ProtocolEndpoint;

/**
 * Puts each endpoint of a {@code @ProtocolEndpointTest} on a free address, before the endpoints are resolved:
 * port 0 on loopback (unless a specific address is configured) for tcp and udp, a socket file in a fresh
 * temporary directory for unix; and turns off the endpoints configured in the application but left out of the
 * slice. The overrides are the environment's first property source, {@value #PROPERTY_SOURCE_NAME}; the directory
 * is deleted with the context. A name the test gives that no endpoint class has fails startup, naming it.
 */
final class FreeEndpointAddresses implements BeanFactoryPostProcessor, EnvironmentAware, DisposableBean {

	/** The name of the property source holding the overrides. */
	static final String PROPERTY_SOURCE_NAME = "protoloopTestEndpoints";

	/** The property holding the endpoint names a {@code @ProtocolEndpointTest} gives (empty for all). */
	static final String NAMED_ENDPOINTS = "protoloop.test.endpoints";

	private static final String PREFIX = "protoloop.endpoints.";

	private ConfigurableEnvironment environment;

	private Path socketDirectory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = (ConfigurableEnvironment) environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		Set<String> inSlice = new LinkedHashSet<>();
		for (String beanName : beanFactory.getBeanNamesForAnnotation(ProtocolEndpoint.class)) {
			inSlice.add(beanFactory.findAnnotationOnBean(beanName, ProtocolEndpoint.class).value());
		}
		Set<String> configured = configuredEndpoints();
		for (String named : this.environment.getProperty(NAMED_ENDPOINTS, String[].class, new String[0])) {
			if (!inSlice.contains(named)) {
				throw new IllegalStateException("@ProtocolEndpointTest names endpoint '" + named
						+ "', but component scanning found no class annotated @ProtocolEndpoint(\"" + named
						+ "\"). Endpoints configured under protoloop.endpoints: " + configured
						+ ". Fix the name, or put the protocol class in or below the package of the "
						+ "@SpringBootConfiguration class.");
			}
		}
		Binder binder = Binder.get(this.environment);
		Map<String, Object> overrides = new HashMap<>();
		for (String name : configured) {
			if (!inSlice.contains(name)) {
				overrides.put(PREFIX + name + ".enabled", false);
			}
		}
		for (String name : inSlice) {
			String prefix = PREFIX + name + ".";
			boolean unix = binder.bind(prefix + "path", String.class).isBound()
					|| "unix".equalsIgnoreCase(binder.bind(prefix + "kind", String.class).orElse(""));
			if (unix) {
				overrides.put(prefix + "path", socketDirectory().resolve(name + ".sock").toString());
			}
			else {
				overrides.put(prefix + "port", 0);
				if (EndpointClients.isAnyAddress(binder.bind(prefix + "host", String.class).orElse(null))) {
					overrides.put(prefix + "host", InetAddress.getLoopbackAddress().getHostAddress());
				}
			}
		}
		this.environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, overrides));
	}

	/** The names under {@code protoloop.endpoints} in the environment, as written there. */
	private Set<String> configuredEndpoints() {
		ConfigurationPropertyName endpoints = ConfigurationPropertyName.of("protoloop.endpoints");
		Set<String> names = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				try (Stream<ConfigurationPropertyName> found = iterable.stream()) {
					found.filter(endpoints::isAncestorOf)
						.forEach((name) -> names.add(name.getElement(2, Form.ORIGINAL)));
				}
			}
		}
		return names;
	}

	private Path socketDirectory() {
		if (this.socketDirectory == null) {
			try {
				this.socketDirectory = Files.createTempDirectory("protoloop-test-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create a directory for the test's unix sockets", ex);
			}
		}
		return this.socketDirectory;
	}

	@Override
	public void destroy() throws IOException {
		if (this.socketDirectory == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(this.socketDirectory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
