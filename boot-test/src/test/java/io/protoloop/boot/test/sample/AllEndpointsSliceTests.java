package io.protoloop.boot.test.sample;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;
import io.protoloop.boot.test.EndpointClient;
import io.protoloop.boot.test.EndpointClients;
import io.protoloop.boot.test.EndpointDatagramClient;
import io.protoloop.boot.test.ProtocolEndpointTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ProtocolEndpointTest} without names: every endpoint of the application, each on a free loopback address
 * rather than the fixed one of its {@code application.yml}, and nothing else of the application.
 */
@ProtocolEndpointTest
@Import(Greeting.class)
@Timeout(30)
class AllEndpointsSliceTests {

	@Autowired
	EndpointClients clients;

	@Autowired
	ApplicationContext context;

	@Test
	void everyEndpointServesOnAFreeLoopbackAddressInsteadOfItsConfiguredOne() {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		assertThat(this.clients.address("echo")).isNotEqualTo(new InetSocketAddress(loopback, 7007));
		assertThat(this.clients.address("commands")).isNotEqualTo(new InetSocketAddress(loopback, 7008));
		assertThat(this.clients.address("echo-unix")).isInstanceOfSatisfying(UnixDomainSocketAddress.class,
				(socket) -> assertThat(socket.getPath()).hasFileName("echo-unix.sock")
					.isNotEqualTo(Path.of("/tmp/protoloop-boot-test-sample.sock")));
		for (RunningEndpoint endpoint : this.context.getBean(ProtocolEndpoints.class).running()) {
			for (SocketAddress address : endpoint.addresses()) {
				if (address instanceof InetSocketAddress inet) {
					assertThat(inet.getAddress().isLoopbackAddress()).as("%s listens on %s", endpoint.name(), inet)
						.isTrue();
				}
			}
		}

		try (EndpointClient echo = this.clients.connect("echo")) {
			assertThat(echo.write("over tcp\n").readLine()).isEqualTo("over tcp");
		}
		try (EndpointClient unix = this.clients.connect("echo-unix")) {
			assertThat(unix.write("over a unix socket\n").readLine()).isEqualTo("over a unix socket");
		}
		try (EndpointDatagramClient udp = this.clients.datagram("echo-udp")) {
			assertThat(udp.send("one datagram").receiveText()).isEqualTo("one datagram");
		}
		try (EndpointClient commands = this.clients.connect("commands")) {
			assertThat(commands.readLine()).isEqualTo("hello");
		}
	}

	@Test
	void theContextHoldsTheEndpointsAndProtoloopButNoOtherComponentOrAutoConfiguration() {
		assertThat(this.context.getBean(ProtocolEndpoints.class).running()).extracting(RunningEndpoint::name)
			.containsExactlyInAnyOrder("echo", "commands", "echo-unix", "echo-udp");
		assertThat(this.context.getBeanNamesForType(AccountService.class)).as("a scanned service").isEmpty();
		// Boot's task execution auto-configuration is on the classpath, and off in the slice.
		assertThat(this.context.containsBean("applicationTaskExecutor")).isFalse();
		assertThat(this.context.containsBean("protoloopExecutor")).isTrue();
	}

}
