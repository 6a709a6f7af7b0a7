package io.protoloop.boot.test.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.boot.test.EndpointClient;
import io.protoloop.boot.test.EndpointClients;
import io.protoloop.boot.test.ProtocolEndpointTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @ProtocolEndpointTest("commands")}: that endpoint only, with the bean it needs imported; the other
 * endpoints of {@code application.yml} are off, and a client of one says why it cannot connect.
 */
@ProtocolEndpointTest("commands")
@Import(Greeting.class)
@Timeout(30)
class NamedEndpointSliceTests {

	@Autowired
	EndpointClients clients;

	@Autowired
	ApplicationContext context;

	@Test
	void aProtocolTestIsAboutFiveLines() {
		try (EndpointClient client = this.clients.connect("commands")) {
			assertThat(client.readLine()).isEqualTo("hello");
			assertThat(client.write("FOO\r\n").readUntil("\r\n")).isEqualTo("ERR unknown command 'FOO'\r\n");
			assertThat(client.write("BYE\r\n").readLine()).isEqualTo("bye");
			client.expectEof();
		}
	}

	@Test
	void onlyTheNamedEndpointRuns() {
		assertThat(this.context.getBean(ProtocolEndpoints.class).running()).extracting(RunningEndpoint::name)
			.containsExactly("commands");
		assertThat(this.context.containsBean("echo")).isFalse();
		assertThat(this.context.getEnvironment().containsProperty("local.protoloop.endpoints.echo.port")).isFalse();
	}

	@Test
	void aClientOfAnEndpointLeftOutOfTheSliceSaysWhy() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.clients.connect("echo"))
			.withMessage("Endpoint 'echo' is not listening: neither local.protoloop.endpoints.echo.port nor "
					+ "local.protoloop.endpoints.echo.path is set. Is a class annotated @ProtocolEndpoint(\"echo\"), "
					+ "and is the endpoint in the test's @ProtocolEndpointTest names?");
	}

}
