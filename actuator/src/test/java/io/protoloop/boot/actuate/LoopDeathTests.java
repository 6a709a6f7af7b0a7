package io.protoloop.boot.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.health.application.LivenessStateHealthIndicator;
import org.springframework.boot.health.contributor.Status;

import io.protoloop.boot.actuate.health.ProtoloopHealthIndicator;
import io.protoloop.boot.availability.LivenessLoopFailureHandler;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.loop.EventLoop;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.transport.TransportView;

import static io.protoloop.boot.actuate.ProtoloopActuatorTests.awaitTrue;
import static io.protoloop.boot.actuate.ProtoloopActuatorTests.port;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event loop that dies of a fatal error, with the process exit switched off (an exit would end the test JVM):
 * new connections go to the loops left, Protoloop's health is DOWN naming the loop, the application's liveness is
 * BROKEN, and the logs name the loop and say what happens next.
 */
@Timeout(60)
class LoopDeathTests {

	@Test
	void aLoopThatDiesOfOutOfMemoryLeavesRoutingBreaksLivenessAndHealthAndIsLoggedByName() {
		ProtoloopActuatorTests.runner()
			.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class))
			.withPropertyValues("protoloop.loop.exit-on-fatal-error=false", "protoloop.endpoints.echo-udp.enabled=false")
			.run((context) -> {
				EventLoopGroup group = context.getBean(EventLoopGroup.class);
				ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
				ProtocolEndpoints endpoints = context.getBean(ProtocolEndpoints.class);
				EventLoop acceptor = ((RunningEndpoint.Stream) endpoints.get("echo")).server().getLoop();
				EventLoop doomed = group.loops().get(1 - group.loops().indexOf(acceptor));
				// What SpringApplication publishes once started; without it, liveness reads BROKEN.
				AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
				try (LogRecords groupLog = LogRecords.of(EventLoopGroup.class);
						LogRecords handlerLog = LogRecords.of(LivenessLoopFailureHandler.class)) {
					doomed.execute(() -> {
						throw new OutOfMemoryError("injected");
					});
					awaitTrue(() -> availability.getLivenessState() == LivenessState.BROKEN);

					assertThat(new LivenessStateHealthIndicator(availability).health().getStatus())
						.isEqualTo(Status.DOWN);
					assertThat(groupLog.messages()).anySatisfy((message) -> assertThat(message)
						.contains("Event loop '" + doomed.name() + "' died of java.lang.OutOfMemoryError: injected"));
					assertThat(handlerLog.messages()).singleElement().asString()
						.contains("Event loop '" + doomed.name() + "' died")
						.contains("liveness is now BROKEN")
						.doesNotContain("exiting");
				}
				ProtoloopHealthIndicator health = context.getBean(ProtoloopHealthIndicator.class);
				awaitTrue(() -> health.health().getStatus().equals(Status.DOWN));
				assertThat(health.health().getDetails()).extractingByKey("loops").asString()
					.contains(doomed.name() + "={running=false");

				List<SocketChannel> clients = new ArrayList<>();
				try {
					for (int i = 0; i < 4; i++) {
						clients.add(echoed(port(context, "echo")));
					}
					assertThat(endpoints.get("echo").connections()).hasSize(4)
						.extracting(TransportView::getLoop)
						.containsOnly(acceptor);
				}
				finally {
					for (SocketChannel client : clients) {
						client.close();
					}
				}
			});
	}

	/** Connects to the echo endpoint and waits for one echo, so the server has made the connection. */
	private static SocketChannel echoed(int port) throws IOException {
		SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
		byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
		client.write(ByteBuffer.wrap(hello));
		InputStream in = Channels.newInputStream(client);
		assertThat(in.readNBytes(hello.length)).isEqualTo(hello);
		return client;
	}

}
