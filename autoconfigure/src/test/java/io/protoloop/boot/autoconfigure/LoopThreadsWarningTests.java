package io.protoloop.boot.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.nio.EventLoopGroup;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More loops than processors time-slice the CPUs (measured: ten times Netty's p99 latency with two loops on one
 * CPU), so the starter warns at startup; the default, one loop per processor, says nothing.
 */
class LoopThreadsWarningTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class));

	@Test
	void moreLoopsThanProcessorsGetAWarningThatSaysWhatToDo() {
		assertThat(ProtoloopAutoConfiguration.tooManyThreads(3, 2))
			.startsWith("protoloop.loop.threads is 3 but only 2 processor(s) are available")
			.endsWith("Remove the property to run one loop per processor.");
		assertThat(ProtoloopAutoConfiguration.tooManyThreads(2, 2)).isNull();
		assertThat(ProtoloopAutoConfiguration.tooManyThreads(1, 2)).isNull();
	}

	@Test
	void theGroupStillHasTheLoopsAskedFor() {
		int processors = Runtime.getRuntime().availableProcessors();
		this.runner.withPropertyValues("protoloop.loop.threads=" + (processors + 1))
			.run((context) -> assertThat(context.getBean(EventLoopGroup.class).loops()).hasSize(processors + 1));
		this.runner.run((context) -> assertThat(context.getBean(EventLoopGroup.class).loops()).hasSize(processors));
	}

}
