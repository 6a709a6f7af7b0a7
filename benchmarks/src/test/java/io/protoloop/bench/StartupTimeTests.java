package io.protoloop.bench;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.protoloop.bench.StartupTime.Run;
import io.protoloop.bench.StartupTime.Settings;
import io.protoloop.bench.StartupTime.Variant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code run.sh startup}: its arguments, each variant's classpath picked from the jars of {@code target/lib}, and
 * an application's report read back.
 */
class StartupTimeTests {

	@Test
	void runsDefaultToTenAndTheResultsDirectory() {
		Settings settings = Settings.parse(new String[0]);
		assertThat(settings.runs()).isEqualTo(10);
		assertThat(settings.out()).isEqualTo(Path.of("benchmarks", "results"));
		Settings three = Settings.parse(new String[] { "--runs=3", "--out=/tmp/startup" });
		assertThat(three.runs()).isEqualTo(3);
		assertThat(three.out()).isEqualTo(Path.of("/tmp/startup"));
	}

	@Test
	void unknownArgumentsAndNoRunsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(new String[] { "--rounds=3" }))
			.withMessageContaining("--rounds=3");
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(new String[] { "--runs=0" }))
			.withMessageContaining("--runs=0");
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(new String[] { "--runs=ten" }));
	}

	@Test
	void eachVariantGetsTheJarsOfItsDependenciesOnly() {
		List<String> lib = allJars();
		assertThat(Variant.PLAIN.jars(lib)).hasSize(StartupTime.BOOT_JARS.size())
			.contains("spring-boot-4.1.1.jar", "spring-boot-autoconfigure-4.1.1.jar")
			.noneMatch((jar) -> jar.startsWith("protoloop-") || jar.contains("actuator") || jar.contains("tomcat"));
		assertThat(Variant.PROTOLOOP.jars(lib)).contains("protoloop-core-0.1.0-SNAPSHOT.jar")
			.doesNotContain("spring-boot-actuator-4.1.1.jar", "micrometer-core-1.17.1.jar");
		assertThat(Variant.ACTUATOR.jars(lib)).contains("spring-boot-actuator-4.1.1.jar", "micrometer-core-1.17.1.jar")
			.noneMatch((jar) -> jar.startsWith("protoloop-"));
		assertThat(Variant.BOTH.jars(lib)).hasSize(StartupTime.BOOT_JARS.size() + StartupTime.PROTOLOOP_JARS.size()
				+ StartupTime.ACTUATOR_JARS.size());
	}

	@Test
	void aMissingJarFailsTheRunRatherThanChangingTheVariant() {
		List<String> lib = allJars().stream().filter((jar) -> !jar.startsWith("spring-boot-health-")).toList();
		assertThat(Variant.PROTOLOOP.jars(lib)).isNotEmpty();
		assertThatIllegalStateException().isThrownBy(() -> Variant.BOTH.jars(lib))
			.withMessageContaining("spring-boot-health");
	}

	@Test
	void aRunReportsItsFiguresAndBreakdownAndMustHaveRunWithItsClasspath() {
		List<String> output = List.of("  .   ____          _", "2026-12-01 INFO Started EchoApplication in 2.1 s",
				"STARTUP uptime-ms=2915 taken-ns=2219000000 main-cpu-ns=1500000000 process-cpu-ns=2600000000"
						+ " protoloop=true actuator=false",
				"STEP bean:protoloopEventLoopGroup 52800000", "STEP protoloop-beans 184700000");
		Run run = Run.parse(Variant.PROTOLOOP, output);
		assertThat(run.uptimeMillis()).isEqualTo(2915);
		assertThat(run.takenMillis()).isEqualTo(2219);
		assertThat(run.mainCpuMillis()).isEqualTo(1500);
		assertThat(run.processCpuMillis()).isEqualTo(2600);
		assertThat(run.steps()).containsEntry("bean:protoloopEventLoopGroup", 52_800_000L)
			.containsEntry("protoloop-beans", 184_700_000L);
		assertThatIllegalStateException().isThrownBy(() -> Run.parse(Variant.BOTH, output))
			.withMessageContaining("wrong classpath");
		assertThatIllegalStateException().isThrownBy(() -> Run.parse(Variant.PLAIN, List.of("Exception in main")))
			.withMessageContaining("did not report");
	}

	@Test
	void theMedianIsTheMiddleValueOrTheMeanOfTheTwo() {
		assertThat(StartupTime.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
		assertThat(StartupTime.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
	}

	/** The jars of {@code target/lib} as the benchmarks pom brings them, and others that no variant takes. */
	private static List<String> allJars() {
		return List.of("HdrHistogram-2.2.2.jar", "commons-logging-1.3.6.jar", "jakarta.annotation-api-3.0.0.jar",
				"jspecify-1.0.1.jar", "jul-to-slf4j-2.0.18.jar", "log4j-api-2.25.5.jar", "log4j-to-slf4j-2.25.5.jar",
				"logback-classic-1.5.38.jar", "logback-core-1.5.38.jar", "micrometer-commons-1.17.1.jar",
				"micrometer-core-1.17.1.jar", "micrometer-jakarta9-1.17.1.jar", "micrometer-observation-1.17.1.jar",
				"micrometer-registry-prometheus-1.17.1.jar", "netty-transport-4.2.17.Final.jar",
				"protoloop-core-0.1.0-SNAPSHOT.jar", "protoloop-demo-0.1.0-SNAPSHOT-classes.jar",
				"protoloop-spring-boot-actuator-0.1.0-SNAPSHOT.jar",
				"protoloop-spring-boot-autoconfigure-0.1.0-SNAPSHOT.jar",
				"protoloop-spring-boot-starter-0.1.0-SNAPSHOT.jar", "slf4j-api-2.0.18.jar", "snakeyaml-2.6.jar",
				"spring-aop-7.0.9.jar", "spring-beans-7.0.9.jar", "spring-boot-4.1.1.jar",
				"spring-boot-actuator-4.1.1.jar", "spring-boot-actuator-autoconfigure-4.1.1.jar",
				"spring-boot-autoconfigure-4.1.1.jar", "spring-boot-health-4.1.1.jar",
				"spring-boot-micrometer-metrics-4.1.1.jar", "spring-boot-micrometer-observation-4.1.1.jar",
				"spring-boot-starter-4.1.1.jar", "spring-boot-starter-actuator-4.1.1.jar",
				"spring-boot-starter-logging-4.1.1.jar", "spring-boot-starter-micrometer-metrics-4.1.1.jar",
				"spring-boot-starter-tomcat-4.1.1.jar", "spring-boot-starter-webmvc-4.1.1.jar",
				"spring-context-7.0.9.jar", "spring-core-7.0.9.jar", "spring-expression-7.0.9.jar",
				"tomcat-embed-core-11.0.24.jar");
	}

}
