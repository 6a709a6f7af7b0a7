package io.protoloop.boot.autoconfigure;

import java.util.logging.ConsoleHandler;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.protoloop.nio.EventLoopGroup;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More loops than processors time-slice the CPUs (measured: ten times Netty's p99 latency with two loops on one
 * CPU), so the starter warns once at startup; the default, one loop per processor, says nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoopThreadsWarningTests {

	private static final String WARNING = "protoloop.loop.threads is ";

	/** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its handler. */
	private final Logger logger = Logger.getLogger(ProtoloopAutoConfiguration.class.getName());

	/**
	 * Made after the extension swapped {@code System.err}, so what it prints is captured; the root logger's console
	 * handler keeps whichever stream it was made with, so it is left out while the test runs.
	 */
	private ConsoleHandler console;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class));

	@BeforeEach
	void printTheLoggerToTheCapturedOutput() {
		this.console = new ConsoleHandler();
		this.logger.addHandler(this.console);
		this.logger.setUseParentHandlers(false);
	}

	@AfterEach
	void stopPrinting() {
		this.logger.removeHandler(this.console);
		this.logger.setUseParentHandlers(true);
		this.console.close();
	}

	@Test
	void moreLoopsThanProcessorsLogOneWarningWithTheNumbersAndTheFix(CapturedOutput output) {
		int processors = Runtime.getRuntime().availableProcessors();
		this.runner.withPropertyValues("protoloop.loop.threads=" + (processors + 1)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(EventLoopGroup.class).loops()).hasSize(processors + 1);
		});
		this.console.flush();
		String expected = WARNING + (processors + 1) + " but only " + processors + " processor(s) are available";
		assertThat(output.getErr()).contains("WARNING: " + expected)
			.contains("p99 latency")
			.contains("Remove the property to run one loop per processor.");
		assertThat(output.getErr().split(WARNING, -1)).as("one warning per start").hasSize(2);
	}

	@Test
	void theDefaultAndAsManyLoopsAsProcessorsLogNoWarning(CapturedOutput output) {
		int processors = Runtime.getRuntime().availableProcessors();
		this.runner.run((context) -> assertThat(context.getBean(EventLoopGroup.class).loops()).hasSize(processors));
		this.runner.withPropertyValues("protoloop.loop.threads=" + processors)
			.run((context) -> assertThat(context.getBean(EventLoopGroup.class).loops()).hasSize(processors));
		this.console.flush();
		assertThat(output.getAll()).doesNotContain(WARNING);
	}

}
