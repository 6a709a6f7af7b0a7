package io.protoloop.boot.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.boot.ShutdownAware;
import io.protoloop.boot.actuate.autoconfigure.ProtoloopEndpointAutoConfiguration;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint.ConnectionDescriptor;
import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A layer between the socket and the application protocol (a stand-in for TLS, {@link WrappingLayer}) is
 * followed, not bypassed: the actuator's connection view reports the application protocol and closes through
 * the layer, and graceful shutdown tells the application protocol and closes through the layer.
 */
@Timeout(60)
class LayeredConnectionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class,
				ProtoloopEndpointAutoConfiguration.class))
		.withUserConfiguration(LayeredEcho.class)
		.withPropertyValues("protoloop.loop.threads=1", "protoloop.endpoints.layered.port=0",
				"protoloop.endpoints.layered.host=127.0.0.1", "management.endpoints.web.exposure.include=*");

	@BeforeEach
	void forgetApplications() {
		Application.instances.clear();
	}

	@Test
	void theActuatorSeesTheApplicationProtocolAndClosesThroughTheLayer() {
		this.runner.run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			try (Socket client = connect(context)) {
				assertThat(echo(client, "hello")).isEqualTo("hello");

				List<ConnectionDescriptor> connections = endpoint.endpoint("layered", null, null).connections();
				assertThat(connections).singleElement().satisfies((connection) -> {
					assertThat(connection.protocol()).isEqualTo(Application.class.getName());
					assertThat(connection.peer()).isEqualTo(client.getLocalSocketAddress().toString());
					assertThat(connection.bytesReceived()).isEqualTo(5);
				});

				ConnectionDescriptor closed = endpoint.closeConnection("layered", connections.get(0).id());
				assertThat(closed.id()).isEqualTo(connections.get(0).id());
				assertThat(readToEnd(client)).as("the layer's goodbye, then the end").isEqualTo(WrappingLayer.GOODBYE);
			}
			assertThat(Application.instances).singleElement()
				.satisfies((application) -> assertThat(application.shutdownStarted).isZero());
		});
	}

	@Test
	void gracefulShutdownTellsTheApplicationProtocolAndClosesThroughTheLayer() {
		this.runner.run((context) -> {
			try (Socket client = connect(context)) {
				assertThat(echo(client, "hello")).isEqualTo("hello");

				context.close();

				assertThat(readToEnd(client)).as("the application's goodbye, the layer's, then the end")
					.isEqualTo(Application.GOODBYE + WrappingLayer.GOODBYE);
			}
			assertThat(Application.instances).singleElement()
				.satisfies((application) -> assertThat(application.shutdownStarted).isEqualTo(1));
		});
	}

	private static Socket connect(AssertableApplicationContext context) throws IOException {
		int port = context.getEnvironment().getRequiredProperty("local.protoloop.endpoints.layered.port",
				Integer.class);
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout(20_000);
		return socket;
	}

	private static String echo(Socket client, String text) throws IOException {
		OutputStream out = client.getOutputStream();
		out.write(text.getBytes(StandardCharsets.UTF_8));
		out.flush();
		return new String(client.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
	}

	private static String readToEnd(Socket client) throws IOException {
		InputStream in = client.getInputStream();
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
	}

	/** The endpoint's protocol bean: the layer, carrying a new application protocol per connection. */
	@ProtocolEndpoint("layered")
	static class LayeredEcho extends WrappingLayer {

		LayeredEcho() {
			super(new Application());
		}

	}

	/** The application protocol above the layer: echoes, and says goodbye when the application shuts down. */
	static final class Application implements Protocol, ShutdownAware {

		static final String GOODBYE = "BYE\n";

		static final List<Application> instances = new CopyOnWriteArrayList<>();

		/** Calls of {@link #shutdownStarted()}, made on the loop thread. */
		volatile int shutdownStarted;

		private Transport transport;

		Application() {
			instances.add(this);
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			this.transport.write(data);
		}

		@Override
		public void shutdownStarted() {
			this.shutdownStarted++;
			this.transport.write(GOODBYE.getBytes(StandardCharsets.US_ASCII));
		}

	}

}
