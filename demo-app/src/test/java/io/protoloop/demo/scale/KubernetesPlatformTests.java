package io.protoloop.demo.scale;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;

import io.protoloop.boot.endpoint.ProtocolEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo starts with its Kubernetes settings (the {@code on-cloud-platform: kubernetes} document of
 * application.yml, which docs/deploy/ relies on): the startup checks accept them, so a pod does not crash-loop
 * on a drain delay that the shutdown phase does not cover. Hosts stay on loopback here, as in every test.
 */
@SpringBootTest(properties = { "spring.main.cloud-platform=kubernetes", "server.address=127.0.0.1",
		"protoloop.endpoints.echo.host=127.0.0.1", "protoloop.endpoints.echo-udp.host=127.0.0.1" })
@DirtiesContext
@Timeout(60)
class KubernetesPlatformTests {

	@Autowired
	Environment environment;

	@Autowired
	ProtocolEndpoints endpoints;

	/** Stops the endpoints first, so closing this context does not wait out the 10 s drain delay. */
	@AfterEach
	void stopEndpoints() {
		this.endpoints.stop();
	}

	@Test
	void theApplicationStartsWithItsKubernetesShutdownAndReadinessSettings() {
		assertThat(CloudPlatform.getActive(this.environment)).isEqualTo(CloudPlatform.KUBERNETES);
		assertThat(this.environment.getProperty("protoloop.shutdown.drain-delay", Duration.class))
			.isEqualTo(Duration.ofSeconds(10));
		assertThat(this.environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class))
			.isEqualTo(Duration.ofSeconds(20));
		assertThat(this.environment.getProperty("management.endpoint.health.group.readiness.include"))
			.isEqualTo("readinessState,protoloop");
	}

}
