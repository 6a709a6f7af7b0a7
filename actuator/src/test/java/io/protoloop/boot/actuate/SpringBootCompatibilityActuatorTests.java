package io.protoloop.boot.actuate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.actuate.autoconfigure.ProtoloopHealthContributorAutoConfiguration;
import io.protoloop.boot.actuate.autoconfigure.ProtoloopMetricsAutoConfiguration;
import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.autoconfigure.SpringBootCompatibilityAutoConfiguration;
import io.protoloop.boot.diagnostics.SpringBootCompatibility;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Actuator, a Spring Boot that lacks Spring Boot 4's health and metrics classes (as Spring Boot 3 does) gets one
 * WARN that names what is off and the version Protoloop needs, where the features used to drop out silently.
 */
@Timeout(60)
class SpringBootCompatibilityActuatorTests {

	/** What Spring Boot 3 lacks: the health API and the metrics auto-configuration moved in Spring Boot 4. */
	private static final FilteredClassLoader WITHOUT_BOOT_4_CLASSES = new FilteredClassLoader(HealthIndicator.class,
			MetricsAutoConfiguration.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SpringBootCompatibilityAutoConfiguration.class,
				ProtoloopAutoConfiguration.class, ProtoloopHealthContributorAutoConfiguration.class,
				ProtoloopMetricsAutoConfiguration.class));

	@Test
	void aSpringBoot4ActuatorClasspathGetsNoWarning() {
		try (LogRecords log = LogRecords.of(SpringBootCompatibility.class)) {
			this.runner.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("protoloopHealthIndicator");
				assertThat(log.messages()).isEmpty();
			});
		}
	}

	@Test
	void missingHealthAndMetricsClassesAreNamedInOneWarningInsteadOfDroppingSilently() {
		try (LogRecords log = LogRecords.of(SpringBootCompatibility.class)) {
			this.runner.withClassLoader(WITHOUT_BOOT_4_CLASSES).run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean("protoloopHealthIndicator");
				assertThat(log.messages()).singleElement()
					.asString()
					.startsWith("Protoloop needs Spring Boot 4.1.x with Actuator; off because Spring Boot classes are "
							+ "missing: the 'protoloop' health indicator (needs "
							+ "org.springframework.boot.health.contributor.HealthIndicator, from spring-boot-health) "
							+ "and the protoloop.* meters (need "
							+ "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration, "
							+ "from spring-boot-micrometer-metrics)")
					.endsWith("Use spring-boot-starter-actuator, which brings them.");
			});
		}
	}

	@Test
	void onAFakedSpringBoot3TheWarningNamesBothVersionsAndWhatIsOff() {
		assertThat(SpringBootVersion.getVersion()).startsWith("4.1.");
		assertThat(SpringBootCompatibility.check("3.5.7", WITHOUT_BOOT_4_CLASSES)).hasValueSatisfying(
				(message) -> assertThat(message).startsWith(
						"Protoloop needs Spring Boot 4.1.x, but this application runs Spring Boot 3.5.7; off because")
					.contains("'protoloop' health indicator", "protoloop.* meters")
					.endsWith("Upgrade to Spring Boot 4.1.x (see the Requirements in Protoloop's README)."));
	}

}
