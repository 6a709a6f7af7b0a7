package io.protoloop.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.protoloop.bench.BenchmarkRunner.Settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The runner's arguments: which servers run by default, with the native backend's joining their families when a
 * JDK for them is named, by {@code --native-jdk} or {@code PROTOLOOP_NATIVE_JDK}.
 */
class BenchmarkRunnerSettingsTests {

	private static final Map<String, String> NO_NATIVE_JDK = Map.of();

	private static final Map<String, String> NATIVE_JDK = Map.of(ServerJvm.ENVIRONMENT, "/opt/jdk-25");

	@Test
	void withoutANativeJdkTheDefaultServersAreTodays() {
		Settings settings = Settings.parse(new String[0], NO_NATIVE_JDK);
		assertThat(settings.servers()).containsExactly("protoloop", "protoloop-spring", "netty-nio", "netty-epoll",
				"netty-io_uring");
		assertThat(settings.jvm().hasNativeJdk()).isFalse();
	}

	@Test
	void aNativeJdkInTheEnvironmentAddsTheNativeServerOfEachFamilyThatRuns() {
		assertThat(Settings.parse(new String[0], NATIVE_JDK).servers()).containsExactly("protoloop",
				"protoloop-spring", "netty-nio", "netty-epoll", "netty-io_uring", "protoloop-epoll",
				"protoloop-spring-epoll");
		assertThat(Settings.parse(new String[] { "--scenarios=udp-1x64,kv-P1" }, NATIVE_JDK).servers())
			.containsExactly("protoloop-udp", "netty-nio-udp", "netty-epoll-udp", "protoloop-udp-epoll", "protoloop-kv",
					"redis-server", "protoloop-kv-epoll");
		assertThat(Settings.parse(new String[] { "--scenarios=tls-pp-1x1024" }, NATIVE_JDK).servers())
			.as("TLS has no native backend server")
			.containsExactly("protoloop-tls", "netty-nio-tls", "netty-epoll-tls");
	}

	@Test
	void theNativeJdkOptionWinsOverTheEnvironmentAndABlankVariableNamesNone() {
		Settings option = Settings.parse(new String[] { "--native-jdk=/opt/other" }, NATIVE_JDK);
		assertThat(option.jvm().home("protoloop-epoll")).isEqualTo(Path.of("/opt/other"));
		assertThat(option.servers()).contains("protoloop-epoll");
		Settings blank = Settings.parse(new String[0], Map.of(ServerJvm.ENVIRONMENT, " "));
		assertThat(blank.jvm().hasNativeJdk()).isFalse();
		assertThat(blank.servers()).doesNotContain("protoloop-epoll");
	}

	@Test
	void namedServersAreKeptAsNamed() {
		Settings settings = Settings.parse(new String[] { "--servers=protoloop-epoll,netty-epoll", "--rounds=1",
				"--scenarios=pp-1x64" }, NO_NATIVE_JDK);
		assertThat(settings.servers()).containsExactly("protoloop-epoll", "netty-epoll");
		assertThat(settings.rounds()).isEqualTo(1);
		assertThat(settings.scenarios()).containsExactly(Scenario.pingPong(1, 64));
		assertThat(settings.idle()).isFalse();
	}

	@Test
	void anUnknownArgumentIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(new String[] { "--native=x" }, NATIVE_JDK))
			.withMessageContaining("--native=x");
	}

	@Test
	void aNativeServerIsInItsNioTwinsFamily() {
		assertThat(List.of("protoloop-epoll", "protoloop-udp-epoll", "protoloop-kv-epoll", "netty-epoll",
				"netty-epoll-udp", "netty-epoll-tls").stream().map(Scenario.Family::of))
			.containsExactly(Scenario.Family.TCP, Scenario.Family.UDP, Scenario.Family.KV, Scenario.Family.TCP,
					Scenario.Family.UDP, Scenario.Family.TLS);
		assertThat(Report.nioTwin("protoloop-udp-epoll")).isEqualTo("protoloop-udp");
		assertThat(Report.nioTwin("netty-epoll")).isEqualTo("netty-epoll");
		assertThat(Report.nativeBackend("netty-epoll")).isFalse();
		assertThat(Report.nativeBackend("protoloop-kv-epoll")).isTrue();
	}

}
