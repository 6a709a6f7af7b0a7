package io.protoloop.boot.autoconfigure;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.Client;
import io.protoloop.boot.autoconfigure.TestProtocols.EchoProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.Greeting;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.RunningEndpoint;

import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Stopping and starting a stream endpoint's serving, as clients see it: the listening socket is closed (new
 * connections are refused) and bound again at the same address, while open connections go on.
 */
@Timeout(60)
class ServingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class))
		.withBean(Greeting.class, () -> new Greeting("hello"))
		.withUserConfiguration(EchoProtocol.class);

	@TempDir
	Path directory;

	@Test
	void aTcpEndpointThatStopsServingRefusesNewConnectionsKeepsItsOpenOnesAndServesAgainOnTheSamePort() {
		this.runner.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1")
			.run((context) -> {
				int port = port(context, "echo");
				RunningEndpoint echo = context.getBean(ProtocolEndpoints.class).get("echo");
				try (Client open = Client.tcp(port)) {
					assertThat(open.readLine()).isEqualTo("hello");

					echo.setServing(false).get(10, TimeUnit.SECONDS);
					assertThat(echo.isServing()).isFalse();
					assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> Client.tcp(port));
					open.write("still open");
					assertThat(open.read(10)).isEqualTo("still open");

					echo.setServing(true).get(10, TimeUnit.SECONDS);
					assertThat(echo.isServing()).isTrue();
					try (Client again = Client.tcp(port)) {
						assertThat(again.readLine()).isEqualTo("hello");
						assertThat(echo.connectionCount()).as("the open connection and the new one").isEqualTo(2);
					}
				}
			});
	}

	@Test
	void aUnixEndpointThatStopsServingRemovesItsSocketFileAndCreatesItAgain() {
		Path socket = this.directory.resolve("echo.sock");
		this.runner.withPropertyValues("protoloop.endpoints.echo.path=" + socket).run((context) -> {
			RunningEndpoint echo = context.getBean(ProtocolEndpoints.class).get("echo");

			echo.setServing(false).get(10, TimeUnit.SECONDS);
			assertThat(socket).doesNotExist();
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> Client.unix(socket));

			echo.setServing(true).get(10, TimeUnit.SECONDS);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
			try (Client client = Client.unix(socket)) {
				assertThat(client.readLine()).isEqualTo("hello");
			}
		});
	}

	@Test
	void shutdownClosesTheConnectionsOfAServerThatNoLongerListens() throws Exception {
		CompletableFuture<byte[]> rest = new CompletableFuture<>();
		this.runner.withPropertyValues("protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1")
			.run((context) -> {
				Client open = Client.tcp(port(context, "echo"));
				assertThat(open.readLine()).isEqualTo("hello");
				RunningEndpoint echo = context.getBean(ProtocolEndpoints.class).get("echo");
				echo.setServing(false).get(10, TimeUnit.SECONDS);
				echo.setServing(true).get(10, TimeUnit.SECONDS);
				// Reads until the server ends the stream, and closes its side then, as clients do.
				new Thread(() -> {
					try (open) {
						rest.complete(open.readToEnd());
					}
					catch (Throwable ex) {
						rest.completeExceptionally(ex);
					}
				}).start();
			});
		assertThat(rest.get(10, TimeUnit.SECONDS)).as("closed gracefully: an end of stream").isEmpty();
	}

}
