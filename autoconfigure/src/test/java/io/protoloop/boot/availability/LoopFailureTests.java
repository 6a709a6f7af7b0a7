package io.protoloop.boot.availability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.loop.LoopFailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event loop that dies of a fatal error ends the process by default, after the context closed; the handler is
 * a bean the application can replace. (Liveness, health and routing after a loop died, with the exit off, are in
 * the actuator module's tests: an exit there would end the test JVM.)
 */
@Timeout(120)
class LoopFailureTests {

	@TempDir
	Path directory;

	@Test
	void aLoopDyingOfOutOfMemoryEndsTheProcessWithStatus1AfterClosingTheContext() throws Exception {
		Process process = run(FatalLoopErrorApplication.class, "--protoloop.loop.threads=2");
		assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the process ends").isTrue();
		String output = Files.readString(this.directory.resolve("output.txt"));
		assertThat(process.exitValue()).as(output).isEqualTo(LivenessLoopFailureHandler.EXIT_STATUS);
		assertThat(output).contains("Event loop 'protoloop-1' died of java.lang.OutOfMemoryError: injected")
			.contains("liveness is now BROKEN; exiting (protoloop.loop.exit-on-fatal-error)")
			.contains(FatalLoopErrorApplication.CLOSED);
	}

	@Test
	void theApplicationsOwnLoopFailureHandlerReplacesTheDefault() {
		LoopFailureHandler own = (loop, error) -> {
		};
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class))
			.withBean(LoopFailureHandler.class, () -> own)
			.run((context) -> assertThat(context.getBean(LoopFailureHandler.class)).isSameAs(own));
	}

	/** Starts {@code main} in a JVM of its own, on this test's class path, its output going to output.txt. */
	private Process run(Class<?> main, String... args) throws IOException {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", classPath, main.getName()));
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("output.txt").toFile())
			.start();
	}

}
