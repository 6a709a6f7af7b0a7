package io.protoloop.boot.diagnostics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.autoconfigure.SpringBootCompatibilityAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring Boot version check, with faked versions; {@code SpringBootCompatibilityActuatorTests} in the actuator
 * module runs it on a classpath without Spring Boot 4's health and metrics classes.
 */
class SpringBootCompatibilityTests {

	/** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its handler. */
	private final Logger logger = Logger.getLogger(SpringBootCompatibility.class.getName());

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			SpringBootCompatibilityTests.this.records.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SpringBootCompatibilityAutoConfiguration.class, ProtoloopAutoConfiguration.class));

	@BeforeEach
	void captureWarnings() {
		this.handler.setLevel(Level.ALL);
		this.logger.addHandler(this.handler);
	}

	@AfterEach
	void stopCapturing() {
		this.logger.removeHandler(this.handler);
	}

	@Test
	void theBuildsOwnSpringBootNeedsNoWarning() {
		assertThat(SpringBootVersion.getVersion()).startsWith(SpringBootCompatibility.REQUIRED + ".");
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SpringBootCompatibility.class);
			assertThat(this.records).isEmpty();
		});
	}

	@Test
	void springBoot41AndLaterAreSupported() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(SpringBootCompatibility.check("4.1.0", classLoader)).isEmpty();
		assertThat(SpringBootCompatibility.check("4.1.2", classLoader)).isEmpty();
		assertThat(SpringBootCompatibility.check("4.2.0-M1", classLoader)).isEmpty();
		assertThat(SpringBootCompatibility.check("5.0.0", classLoader)).isEmpty();
		assertThat(SpringBootCompatibility.check(null, classLoader)).as("version unknown (exploded classes)").isEmpty();
	}

	@Test
	void springBoot3IsNamedWithTheVersionProtoloopNeeds() {
		assertThat(SpringBootCompatibility.check("3.5.7", getClass().getClassLoader())).hasValue(
				"Protoloop needs Spring Boot 4.1.x, but this application runs Spring Boot 3.5.7. Upgrade to Spring "
						+ "Boot 4.1.x (see the Requirements in Protoloop's README).");
	}

	@Test
	void springBoot40IsNotEnough() {
		assertThat(SpringBootCompatibility.check("4.0.3", getClass().getClassLoader()))
			.hasValueSatisfying((message) -> assertThat(message).contains("needs Spring Boot 4.1.x", "runs Spring Boot 4.0.3"));
	}

	@Test
	void withoutProtoloopsActuatorModuleNoFeatureIsReportedOff() {
		// This module's tests have Spring Boot's actuator classes on neither side: only the version counts.
		assertThat(SpringBootCompatibility.check("3.2.0", getClass().getClassLoader()))
			.hasValueSatisfying((message) -> assertThat(message).doesNotContain("health", "meters"));
	}

	@Test
	void theCheckIsRegisteredAsAnAutoConfiguration() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
			.contains(SpringBootCompatibilityAutoConfiguration.class.getName());
	}

}
