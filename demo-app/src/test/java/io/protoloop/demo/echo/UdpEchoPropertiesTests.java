package io.protoloop.demo.echo;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code demo.echo.udp.*} binds: its defaults are {@link UdpEchoProperties#DEFAULTS}. */
@Timeout(30)
class UdpEchoPropertiesTests {

	@Test
	void unsetPropertiesBindToTheDefaults() {
		assertThat(new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("demo.echo.udp",
				UdpEchoProperties.class)).isEqualTo(UdpEchoProperties.DEFAULTS);
	}

	@Test
	void aFractionalRateBinds() {
		assertThat(new Binder(new MapConfigurationPropertySource(Map.of("demo.echo.udp.rate", "0.5")))
			.bindOrCreate("demo.echo.udp", UdpEchoProperties.class)
			.rate()).isEqualTo(0.5);
	}

}
