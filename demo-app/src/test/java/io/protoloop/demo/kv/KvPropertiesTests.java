package io.protoloop.demo.kv;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code demo.kv.*} binds: its defaults are {@link KvProperties#DEFAULTS}, and Redis's policy names work. */
@Timeout(30)
class KvPropertiesTests {

	@Test
	void unsetPropertiesBindToTheDefaults() {
		assertThat(bind(Map.of())).isEqualTo(KvProperties.DEFAULTS);
	}

	@Test
	void redisPolicyNamesAndSizesBind() {
		KvProperties properties = bind(Map.of("demo.kv.eviction-policy", "allkeys-lru", "demo.kv.max-memory", "1GB",
				"demo.kv.password", "secret", "demo.kv.protected-mode", "false"));
		assertThat(properties.evictionPolicy()).isEqualTo(EvictionPolicy.ALLKEYS_LRU);
		assertThat(properties.maxMemory()).isEqualTo(DataSize.ofGigabytes(1));
		assertThat(properties.password()).isEqualTo("secret");
		assertThat(properties.protectedMode()).isFalse();
	}

	private static KvProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("demo.kv", KvProperties.class);
	}

}
