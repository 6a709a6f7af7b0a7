package io.protoloop.demo.scale;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.demo.DemoApplication;
import io.protoloop.protocol.DatagramProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests of {@code docs/deploy/} against the demo's {@code application.yml} as it applies on
 * Kubernetes (its documents without an activation, and the one for {@code on-cloud-platform: kubernetes}, under
 * the container's environment): they must not drift apart. Every endpoint with a port is a container port and a
 * Service port of its protocol, listening on the pod's network; the probes use Boot's probe paths on the HTTP
 * port; readiness includes {@code protoloop}; the drain delay covers the readiness probe; the grace period covers
 * the preStop sleep, the drain delay and the shutdown phase.
 */
class DeploymentManifestTests {

	private static final Path DEPLOY = Path.of("..", "docs", "deploy");

	private static Map<String, Object> deployment;

	private static Map<String, Object> service;

	private static Map<String, Object> container;

	private static List<PropertySource<?>> configuration;

	@BeforeAll
	static void read() throws IOException {
		deployment = manifest("deployment.yaml", "Deployment");
		service = manifest("service.yaml", "Service");
		container = map(list(map(map(deployment.get("spec")).get("template")), "spec", "containers").get(0));
		List<PropertySource<?>> documents = new YamlPropertySourceLoader().load("application.yml",
				new FileSystemResource("src/main/resources/application.yml"));
		configuration = documents.stream().filter((document) -> {
			Object platform = document.getProperty("spring.config.activate.on-cloud-platform");
			return platform == null || "kubernetes".equalsIgnoreCase(platform.toString());
		}).toList();
	}

	@Test
	void everyEndpointWithAPortIsAContainerPortAndAServicePortOfItsProtocolOnThePodsNetwork() {
		Map<String, String> endpoints = endpointProtocols();
		assertThat(endpoints).as("the demo's endpoints").containsKeys("echo", "echo-udp", "kv");
		Map<String, Map<String, Object>> containerPorts = byName(list(container, "ports"));
		Map<String, Map<String, Object>> servicePorts = new LinkedHashMap<>();
		for (Map<String, Object> port : list(map(service.get("spec")), "ports")) {
			servicePorts.put(String.valueOf(port.get("targetPort")), port);
		}
		int served = 0;
		for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
			String name = endpoint.getKey();
			String port = property("protoloop.endpoints." + name + ".port");
			if (port == null || "false".equals(property("protoloop.endpoints." + name + ".enabled"))) {
				continue; // a unix socket, or off
			}
			served++;
			assertThat(containerPorts).as("container ports").containsKey(name);
			assertThat(containerPorts.get(name)).as("container port " + name)
				.containsEntry("containerPort", Integer.parseInt(port))
				.containsEntry("protocol", endpoint.getValue());
			assertThat(servicePorts).as("Service ports by targetPort").containsKey(name);
			assertThat(servicePorts.get(name)).as("Service port " + name)
				.containsEntry("port", Integer.parseInt(port))
				.containsEntry("protocol", endpoint.getValue());
			assertThat(property("protoloop.endpoints." + name + ".host")).as("%s's host on Kubernetes", name)
				.isIn(null, "0.0.0.0", "::");
		}
		assertThat(servicePorts).as("Service ports, one per endpoint with a port").hasSize(served);
		assertThat(map(service.get("spec")).get("selector")).as("the Service selects the Deployment's pods")
			.isEqualTo(map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
	}

	@Test
	void probesUseBootsProbePathsOnTheHttpPortAndReadinessIncludesProtoloop() {
		assertThat(property("management.server.port")).as("a separate management port (probes would use it)").isNull();
		assertThat(byName(list(container, "ports")).get("http")).as("container port http")
			.containsEntry("containerPort", Integer.parseInt(property("server.port")))
			.containsEntry("protocol", "TCP");
		assertThat(property("server.address")).as("server.address on Kubernetes").isIn(null, "0.0.0.0", "::");
		Map<String, String> paths = Map.of("startupProbe", "/actuator/health/liveness", "livenessProbe",
				"/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
		paths.forEach((probe, path) -> {
			Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
			assertThat(get).as(probe).containsEntry("path", path).containsEntry("port", "http");
		});
		assertThat(property("management.endpoint.health.group.readiness.include")).as("the readiness group")
			.contains("readinessState")
			.contains("protoloop");
		assertThat(property("management.endpoint.health.probes.enabled")).as("probes (on by default in Boot 4)")
			.isIn(null, "true");
		assertThat(property("management.endpoints.web.exposure.include")).contains("health");
	}

	@Test
	void theDrainDelayCoversTheReadinessProbeAndTheGracePeriodCoversTheWholeShutdown() {
		Duration drainDelay = duration("protoloop.shutdown.drain-delay");
		Duration phase = duration("spring.lifecycle.timeout-per-shutdown-phase");
		Map<String, Object> readiness = map(container.get("readinessProbe"));
		Duration noticed = Duration.ofSeconds((int) readiness.get("periodSeconds") * (long) (int) readiness.get("failureThreshold"));
		assertThat(drainDelay).as("protoloop.shutdown.drain-delay against the readiness probe's period x failures")
			.isGreaterThanOrEqualTo(noticed)
			.isLessThan(phase);
		Duration preStop = Duration.ofSeconds((int) map(map(map(container.get("lifecycle")).get("preStop")).get("sleep"))
			.get("seconds"));
		assertThat(preStop).as("the preStop sleep").isPositive();
		Duration grace = Duration.ofSeconds((int) map(map(map(deployment.get("spec")).get("template")).get("spec"))
			.get("terminationGracePeriodSeconds"));
		assertThat(grace).as("terminationGracePeriodSeconds against preStop %s + drain-delay %s + shutdown phase %s",
				preStop, drainDelay, phase)
			.isGreaterThanOrEqualTo(preStop.plus(drainDelay).plus(phase));
	}

	/** Each {@code @ProtocolEndpoint} of the demo by name, with its Kubernetes protocol (UDP for a datagram one). */
	private static Map<String, String> endpointProtocols() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ProtocolEndpoint.class));
		Map<String, String> endpoints = new LinkedHashMap<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents(DemoApplication.class.getPackageName())) {
			String name = ((AnnotatedBeanDefinition) candidate).getMetadata()
				.getAnnotations()
				.get(ProtocolEndpoint.class)
				.getString("value");
			try {
				Class<?> type = Class.forName(candidate.getBeanClassName());
				endpoints.put(name, DatagramProtocol.class.isAssignableFrom(type) ? "UDP" : "TCP");
			}
			catch (ClassNotFoundException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return endpoints;
	}

	/**
	 * A property as the pod sees it: the container's environment variable of that name if it sets one with a
	 * value (Boot's mapping: dots to underscores, dashes dropped, upper case), else the last document of
	 * application.yml that applies on Kubernetes and sets it.
	 */
	private static String property(String name) {
		String variable = name.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
		for (Map<String, Object> env : list(container, "env")) {
			if (variable.equals(env.get("name")) && env.get("value") != null) {
				return env.get("value").toString();
			}
		}
		List<PropertySource<?>> reversed = new ArrayList<>(configuration);
		Collections.reverse(reversed);
		for (PropertySource<?> document : reversed) {
			Object value = document.getProperty(name);
			if (value != null) {
				return value.toString();
			}
		}
		return null;
	}

	private static Duration duration(String name) {
		String value = property(name);
		assertThat(value).as(name).isNotNull();
		return DurationStyle.detectAndParse(value);
	}

	private static Map<String, Object> manifest(String file, String kind) throws IOException {
		try (Reader reader = Files.newBufferedReader(DEPLOY.resolve(file), StandardCharsets.UTF_8)) {
			Map<String, Object> manifest = map(new Yaml().load(reader));
			assertThat(manifest).as(file).containsEntry("kind", kind);
			return manifest;
		}
	}

	private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> items) {
		Map<String, Map<String, Object>> named = new LinkedHashMap<>();
		items.forEach((item) -> named.put(String.valueOf(item.get("name")), item));
		return named;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		assertThat(node).isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}

	/** The list at {@code path} under {@code node}, empty when absent. */
	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> node, String... path) {
		Object current = node;
		for (String key : path) {
			current = (current == null) ? null : map(current).get(key);
		}
		return (current != null) ? (List<Map<String, Object>>) current : List.of();
	}

}
