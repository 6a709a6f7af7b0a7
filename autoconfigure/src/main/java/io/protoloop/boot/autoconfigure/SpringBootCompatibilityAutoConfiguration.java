package io.protoloop.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import io.protoloop.boot.diagnostics.SpringBootCompatibility;

/**
 * Warns at startup when the application's Spring Boot is not one Protoloop supports, or lacks the Spring Boot 4
 * classes its Actuator features need ({@link SpringBootCompatibility}). It has no condition, references nothing
 * Spring Boot 3 lacks, and comes first, so it runs on exactly the applications it is for.
 */
@AutoConfiguration
@AutoConfigureOrder(Ordered.HIGHEST_PRECEDENCE)
public final class SpringBootCompatibilityAutoConfiguration {

	@Bean
	static SpringBootCompatibility protoloopSpringBootCompatibility() {
		return new SpringBootCompatibility();
	}

}
