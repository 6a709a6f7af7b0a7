package io.protoloop.boot.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringBootVersion;
import org.springframework.util.ClassUtils;

/**
 * Says, in one WARN line at startup, when the application's Spring Boot cannot give Protoloop what it needs, instead
 * of letting the health indicator and the meters drop out silently: on Spring Boot 3.x (or 4.0) the Actuator
 * auto-configurations' conditions name Spring Boot 4.1 classes that are absent, so they simply do not match.
 *
 * <p>It runs as a bean factory post-processor, before any bean is created, so the warning comes first even when
 * something else fails later. It uses only API that Spring Boot 3 and 4 share, so it loads on both. Not API: the
 * auto-configuration {@code SpringBootCompatibilityAutoConfiguration} registers it.
 */
public final class SpringBootCompatibility implements BeanFactoryPostProcessor {

	/** The Spring Boot line Protoloop is built and tested against. */
	public static final String REQUIRED = "4.1";

	private static final Log logger = LogFactory.getLog(SpringBootCompatibility.class);

	/** Spring Boot's actuator: when it is present, the application wants health and metrics. */
	static final String BOOT_ACTUATOR = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

	/** Protoloop's actuator module, whose features need the two below. */
	static final String PROTOLOOP_ACTUATOR = "io.protoloop.boot.actuate.autoconfigure.ProtoloopHealthContributorAutoConfiguration";

	/** The health API in Spring Boot 4 (module spring-boot-health); Boot 3 had it in spring-boot-actuator. */
	static final String BOOT_HEALTH = "org.springframework.boot.health.contributor.HealthIndicator";

	/** Metrics auto-configuration in Spring Boot 4 (module spring-boot-micrometer-metrics). */
	static final String BOOT_METRICS = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration";

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		check(SpringBootVersion.getVersion(), (classLoader != null) ? classLoader : getClass().getClassLoader())
			.ifPresent(logger::warn);
	}

	/**
	 * {@return the warning for an application on Spring Boot {@code version} (or {@code null} when unknown, as from an
	 * IDE's exploded classes) whose classes {@code classLoader} loads, or empty when all is well}
	 * @param version the application's Spring Boot version, or {@code null}
	 * @param classLoader loads the application's classes
	 */
	public static Optional<String> check(String version, ClassLoader classLoader) {
		boolean supportedVersion = (version == null) || isSupported(version);
		List<String> off = new ArrayList<>();
		if (ClassUtils.isPresent(BOOT_ACTUATOR, classLoader) && ClassUtils.isPresent(PROTOLOOP_ACTUATOR, classLoader)) {
			if (!ClassUtils.isPresent(BOOT_HEALTH, classLoader)) {
				off.add("the 'protoloop' health indicator (needs " + BOOT_HEALTH + ", from spring-boot-health)");
			}
			if (!ClassUtils.isPresent(BOOT_METRICS, classLoader)) {
				off.add("the protoloop.* meters (need " + BOOT_METRICS + ", from spring-boot-micrometer-metrics)");
			}
		}
		if (supportedVersion && off.isEmpty()) {
			return Optional.empty();
		}
		StringBuilder message = new StringBuilder("Protoloop needs Spring Boot " + REQUIRED + ".x");
		if (!supportedVersion) {
			message.append(", but this application runs Spring Boot ").append(version);
		}
		if (!off.isEmpty()) {
			message.append(supportedVersion ? " with Actuator; " : "; ")
				.append("off because Spring Boot classes are missing: ")
				.append(String.join(" and ", off));
		}
		message.append(". ")
			.append(supportedVersion ? "Use spring-boot-starter-actuator, which brings them."
					: "Upgrade to Spring Boot " + REQUIRED + ".x (see the Requirements in Protoloop's README).");
		return Optional.of(message.toString());
	}

	/** Whether {@code version} ({@code 4.1.1}, {@code 4.2.0-M1}, ...) is 4.1 or later. */
	static boolean isSupported(String version) {
		String[] parts = version.split("[.-]");
		try {
			int major = Integer.parseInt(parts[0]);
			int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
			return major > 4 || (major == 4 && minor >= 1);
		}
		catch (NumberFormatException ex) {
			return true;
		}
	}

}
