package io.protoloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which JVM a server runs on: the runner's for all but the native backend's servers, which get the native JDK with
 * native access and the epoll transport, or are unavailable, with the reason, when there is none.
 */
class ServerJvmTests {

	@TempDir
	Path directory;

	@Test
	void theNativeBackendsServersRunOnTheNativeJdkWithNativeAccessAndEpoll() throws IOException {
		Path own = jdk("own", "17.0.15+6");
		Path nativeJdk = jdk("native", "25.0.3+9-LTS");
		ServerJvm jvm = new ServerJvm(own, nativeJdk);
		assertThat(jvm.command("protoloop")).containsExactly(own.resolve("bin/java").toString());
		assertThat(jvm.command("netty-epoll-udp")).containsExactly(own.resolve("bin/java").toString());
		assertThat(jvm.command("protoloop-udp-epoll")).containsExactly(nativeJdk.resolve("bin/java").toString(),
				"--enable-native-access=ALL-UNNAMED", "-Dbench.loop.transport=epoll");
		assertThat(jvm.header(List.of("protoloop", "redis-server", "protoloop-epoll", "netty-epoll")))
			.isEqualTo(String.format("server JDK: Java 17.0.15+6 (%s): protoloop, netty-epoll%n"
					+ "server JDK: Java 25.0.3+9-LTS (%s): protoloop-epoll (with --enable-native-access=ALL-UNNAMED"
					+ " -Dbench.loop.transport=epoll)%n", own, nativeJdk));
	}

	@Test
	void withoutAUsableNativeJdkTheNativeServersAreUnavailableWithTheReason() throws IOException {
		Path own = jdk("own", "17.0.15+6");
		assertThatExceptionOfType(ServerProcess.Unavailable.class)
			.isThrownBy(() -> new ServerJvm(own, null).command("protoloop-epoll"))
			.withMessage("protoloop-epoll is unavailable: no JDK 22 or later is named (set PROTOLOOP_NATIVE_JDK or"
					+ " --native-jdk=PATH)");
		Path empty = Files.createDirectories(this.directory.resolve("empty"));
		assertThatExceptionOfType(ServerProcess.Unavailable.class)
			.isThrownBy(() -> new ServerJvm(own, empty).command("protoloop-kv-epoll"))
			.withMessageContaining("the native JDK " + empty + " has no " + empty.resolve("bin/java"));
		assertThat(new ServerJvm(own, null).command("protoloop-kv")).containsExactly(own.resolve("bin/java").toString());
	}

	@Test
	void theEnvironmentNamesTheNativeJdkUnlessTheOptionDoes() {
		Map<String, String> environment = Map.of(ServerJvm.ENVIRONMENT, "/opt/jdk-25");
		assertThat(ServerJvm.of(null, environment).home("protoloop-epoll")).isEqualTo(Path.of("/opt/jdk-25"));
		assertThat(ServerJvm.of("/opt/jdk-26", environment).home("protoloop-epoll")).isEqualTo(Path.of("/opt/jdk-26"));
		assertThat(ServerJvm.of(null, environment).home("protoloop"))
			.isEqualTo(Path.of(System.getProperty("java.home")));
		assertThat(ServerJvm.of(null, Map.of()).hasNativeJdk()).isFalse();
	}

	@Test
	void aJdkWithoutAReleaseFileIsDescribedByItsPath() {
		assertThat(ServerJvm.describe(this.directory)).isEqualTo(this.directory.toString());
	}

	/** Makes a JDK directory with an executable {@code bin/java} and a {@code release} file of {@code version}. */
	private Path jdk(String name, String version) throws IOException {
		Path home = Files.createDirectories(this.directory.resolve(name).resolve("bin")).getParent();
		Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
		assertThat(java.toFile().setExecutable(true)).isTrue();
		Files.writeString(home.resolve("release"), "JAVA_VERSION=\"x\"\nJAVA_RUNTIME_VERSION=\"" + version + "\"\n");
		return home;
	}

}
