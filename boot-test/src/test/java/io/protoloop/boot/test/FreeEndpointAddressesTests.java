package io.protoloop.boot.test;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.protoloop.boot.test.sample.EchoProtocol;
import io.protoloop.boot.test.sample.UnixEchoProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** How the slice moves its endpoints to free addresses, turns the others off, and fails on a wrong name. */
class FreeEndpointAddressesTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final FreeEndpointAddresses addresses = new FreeEndpointAddresses();

	FreeEndpointAddressesTests() {
		this.beanFactory.registerBeanDefinition("echo", new RootBeanDefinition(EchoProtocol.class));
		this.beanFactory.registerBeanDefinition("echo-unix", new RootBeanDefinition(UnixEchoProtocol.class));
		this.addresses.setEnvironment(this.environment);
	}

	@Test
	void theSlicesEndpointsGetFreeAddressesAndTheOthersAreTurnedOff() throws Exception {
		configure(Map.of("protoloop.endpoints.echo.port", "7007", "protoloop.endpoints.echo.host", "0.0.0.0",
				"protoloop.endpoints.echo-unix.path", "/tmp/fixed.sock", "protoloop.endpoints.kv.port", "6380",
				FreeEndpointAddresses.NAMED_ENDPOINTS, ""));

		this.addresses.postProcessBeanFactory(this.beanFactory);

		assertThat(this.environment.getProperty("protoloop.endpoints.echo.port")).isEqualTo("0");
		assertThat(this.environment.getProperty("protoloop.endpoints.echo.host")).isEqualTo("127.0.0.1");
		assertThat(this.environment.getProperty("protoloop.endpoints.echo-unix.path")).endsWith("/echo-unix.sock")
			.isNotEqualTo("/tmp/fixed.sock");
		assertThat(this.environment.getProperty("protoloop.endpoints.kv.enabled")).isEqualTo("false");
		this.addresses.destroy();
	}

	@Test
	void aSpecificHostIsKept() {
		configure(Map.of("protoloop.endpoints.echo.port", "7007", "protoloop.endpoints.echo.host", "::1"));

		this.addresses.postProcessBeanFactory(this.beanFactory);

		assertThat(this.environment.getProperty("protoloop.endpoints.echo.host")).isEqualTo("::1");
	}

	@Test
	void aNameNoEndpointClassHasFailsStartupNamingIt() {
		configure(Map.of("protoloop.endpoints.echo.port", "7007", FreeEndpointAddresses.NAMED_ENDPOINTS, "ehco"));

		assertThatIllegalStateException().isThrownBy(() -> this.addresses.postProcessBeanFactory(this.beanFactory))
			.withMessage("@ProtocolEndpointTest names endpoint 'ehco', but component scanning found no class annotated "
					+ "@ProtocolEndpoint(\"ehco\"). Endpoints configured under protoloop.endpoints: [echo]. Fix the "
					+ "name, or put the protocol class in or below the package of the @SpringBootConfiguration class.");
	}

	private void configure(Map<String, Object> properties) {
		this.environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
	}

}
