package io.protoloop.loop;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.nio.SelectorEventLoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation and copies of {@link LoopOptions}. */
@Timeout(30)
class LoopOptionsTests {

	@Test
	void namedOptionsHaveDebugOffAndTheAsyncioThreshold() {
		LoopOptions options = LoopOptions.named("loop");

		assertThat(options.name()).isEqualTo("loop");
		assertThat(options.debug()).isFalse();
		assertThat(options.slowCallbackDuration()).isEqualTo(Duration.ofMillis(100))
			.isEqualTo(LoopOptions.DEFAULT_SLOW_CALLBACK_DURATION);
	}

	@Test
	void aNegativeSlowCallbackDurationIsRejected() {
		assertThatThrownBy(() -> new LoopOptions("loop", true, Duration.ofMillis(-1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("slowCallbackDuration");
		assertThatThrownBy(() -> LoopOptions.named("loop").withSlowCallbackDuration(Duration.ofNanos(-1)))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aZeroSlowCallbackDurationIsAllowed() {
		assertThat(LoopOptions.named("loop").withSlowCallbackDuration(Duration.ZERO).slowCallbackDuration())
			.isZero();
	}

	@Test
	void nameAndDurationAreRequired() {
		assertThatThrownBy(() -> new LoopOptions(null, false, Duration.ZERO)).isInstanceOf(NullPointerException.class)
			.hasMessageContaining("name");
		assertThatThrownBy(() -> new LoopOptions("loop", false, null)).isInstanceOf(NullPointerException.class)
			.hasMessageContaining("slowCallbackDuration");
	}

	@Test
	void withersChangeOnlyTheirOwnComponent() {
		LoopOptions options = new LoopOptions("loop", false, Duration.ofMillis(5));

		assertThat(options.withDebug(true)).isEqualTo(new LoopOptions("loop", true, Duration.ofMillis(5)));
		assertThat(options.withName("other")).isEqualTo(new LoopOptions("other", false, Duration.ofMillis(5)));
		assertThat(options.withSlowCallbackDuration(Duration.ofSeconds(1)))
			.isEqualTo(new LoopOptions("loop", false, Duration.ofSeconds(1)));
		assertThat(options).isEqualTo(new LoopOptions("loop", false, Duration.ofMillis(5)));
	}

	@Test
	void aLoopTakesItsNameDebugModeAndThresholdFromItsOptions() {
		EventLoop loop = new SelectorEventLoop(new LoopOptions("configured", true, Duration.ofMillis(42)));
		try {
			assertThat(loop.name()).isEqualTo("configured");
			assertThat(loop.isDebug()).isTrue();
			assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofMillis(42));
		}
		finally {
			loop.close();
		}
	}

}
