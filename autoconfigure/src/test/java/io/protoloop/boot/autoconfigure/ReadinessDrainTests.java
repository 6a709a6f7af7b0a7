package io.protoloop.boot.autoconfigure;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.Client;
import io.protoloop.boot.autoconfigure.TestProtocols.BulkProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.EchoProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.Greeting;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.ReadinessDrain;

import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.assertFailure;
import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * On shutdown readiness goes to REFUSING_TRAFFIC while the endpoints still accept, and they go on accepting for
 * {@code protoloop.shutdown.drain-delay} before they stop and drain.
 */
@Timeout(60)
class ReadinessDrainTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class))
		.withBean(Greeting.class, () -> new Greeting("hello"))
		.withBean(RefusingTrafficProbe.class)
		.withUserConfiguration(EchoProtocol.class, BulkProtocol.class)
		.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
				"protoloop.endpoints.bulk.port=0", "protoloop.endpoints.bulk.host=127.0.0.1");

	@Test
	void readinessRefusesTrafficWhileTheEndpointsStillAcceptAndTheyGoOnForTheDrainDelay() throws Exception {
		BulkProtocol.shutdownStarted = new CountDownLatch(1);
		CompletableFuture<Long> drainStarted = new CompletableFuture<>();
		RefusingTrafficProbe[] probe = new RefusingTrafficProbe[1];
		int[] echoPort = new int[1];
		this.runner.withPropertyValues("protoloop.shutdown.drain-delay=300ms").run((context) -> {
			probe[0] = context.getBean(RefusingTrafficProbe.class);
			echoPort[0] = port(context, "echo");
			Client bulk = Client.tcp(port(context, "bulk"));
			new Thread(() -> {
				try (bulk) {
					// The endpoints tell their protocols once they drain: after the delay.
					assertThat(BulkProtocol.shutdownStarted.await(20, TimeUnit.SECONDS)).isTrue();
					drainStarted.complete(System.nanoTime());
				}
				catch (Throwable ex) {
					drainStarted.completeExceptionally(ex);
				}
			}).start();
		});
		assertThat(probe[0].greeting.get(10, TimeUnit.SECONDS)).as("served while refusing traffic").isEqualTo("hello");
		long delayMillis = TimeUnit.NANOSECONDS.toMillis(drainStarted.get(10, TimeUnit.SECONDS) - probe[0].refusingAt);
		assertThat(delayMillis).isGreaterThanOrEqualTo(300);
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> Client.tcp(echoPort[0]));
	}

	@Test
	void withoutADrainDelayReadinessStillRefusesTrafficBeforeTheEndpointsStop() throws Exception {
		RefusingTrafficProbe[] probe = new RefusingTrafficProbe[1];
		this.runner.run((context) -> probe[0] = context.getBean(RefusingTrafficProbe.class));
		assertThat(probe[0].greeting.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnReadinessDrain() {
		this.runner.withUserConfiguration(OwnDrainConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(ReadinessDrain.class).hasBean("ownDrain"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDrainConfiguration {

		@Bean
		ReadinessDrain ownDrain(ApplicationEventPublisher publisher, ProtocolEndpoints endpoints) {
			return new ReadinessDrain(publisher, endpoints, Duration.ZERO);
		}

	}

	@Test
	void aDrainDelayAsLongAsTheShutdownPhaseFails() {
		this.runner.withPropertyValues("protoloop.shutdown.drain-delay=30s")
			.run((context) -> assertFailure(context, "protoloop.shutdown.drain-delay",
					"less than spring.lifecycle.timeout-per-shutdown-phase (30000ms)", "or raise that timeout"));
	}

	/** When readiness goes to REFUSING_TRAFFIC, connects to the echo endpoint and keeps what it says first. */
	static class RefusingTrafficProbe implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

		final CompletableFuture<String> greeting = new CompletableFuture<>();

		private final Environment environment;

		volatile long refusingAt;

		RefusingTrafficProbe(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
			if (event.getState() != ReadinessState.REFUSING_TRAFFIC) {
				return;
			}
			this.refusingAt = System.nanoTime();
			int port = this.environment.getRequiredProperty("local.protoloop.endpoints.echo.port", Integer.class);
			try (Client client = Client.tcp(port)) {
				this.greeting.complete(client.readLine());
			}
			catch (IOException ex) {
				this.greeting.completeExceptionally(ex);
			}
		}

	}

}
