package io.protoloop.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.LoopTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which transport a loop gets. The build's epoll run (system property {@code protoloop.test.transport=epoll}, set
 * by core's {@code native} profile) must get epoll from the default {@link LoopTransport#AUTO}, so the suite it
 * runs cannot silently fall back to {@code java.nio}; any other run gets {@code java.nio} and a reason.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class LoopTransportSelectionTests {

	private static final boolean EPOLL_RUN = "epoll".equals(System.getProperty("protoloop.test.transport"));

	@Test
	void theEpollRunGetsEpollFromAuto() {
		assumeTrue(EPOLL_RUN, "not the epoll run (system property protoloop.test.transport is not 'epoll')");
		assertThat(SelectorEventLoop.unavailableReason(LoopTransport.EPOLL)).as("why epoll is unavailable").isNull();
		try (SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("x"))) {
			assertThat(loop.transport()).isEqualTo(LoopTransport.EPOLL);
		}
		try (EventLoopGroup group = new EventLoopGroup(2, LoopOptions.named("group"))) {
			assertThat(group.transport()).isEqualTo(LoopTransport.EPOLL);
		}
	}

	@Test
	void elsewhereAutoGivesNio() {
		assumeFalse(EPOLL_RUN, "the epoll run (system property protoloop.test.transport=epoll)");
		assertThat(SelectorEventLoop.unavailableReason(LoopTransport.EPOLL)).isNotBlank();
		try (SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("x"))) {
			assertThat(loop.transport()).isEqualTo(LoopTransport.NIO);
		}
		try (EventLoopGroup group = new EventLoopGroup(2, LoopOptions.named("group"))) {
			assertThat(group.transport()).isEqualTo(LoopTransport.NIO);
		}
	}

	@Test
	void beforeJava22TheReasonIsTheJavaVersion() {
		int feature = Runtime.version().feature();
		assumeTrue(feature < 22, () -> "this is Java " + feature + ": the Java version is not what stops epoll");
		assertThat(SelectorEventLoop.unavailableReason(LoopTransport.EPOLL)).contains("Java 22")
			.contains("Java " + feature);
	}

	@Test
	void askingForEpollWhereItIsUnavailableFailsWithTheLoopAndTheReason() {
		assumeFalse(EPOLL_RUN, "the epoll run (system property protoloop.test.transport=epoll)");
		String reason = SelectorEventLoop.unavailableReason(LoopTransport.EPOLL);
		assertThat(reason).isNotBlank();
		LoopOptions options = LoopOptions.named("needs-epoll").withTransport(LoopTransport.EPOLL);
		assertThatThrownBy(() -> new SelectorEventLoop(options)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("'needs-epoll'")
			.hasMessageContaining(reason);
	}

	@Test
	void nioAlwaysGivesNio() {
		try (SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("x").withTransport(LoopTransport.NIO))) {
			assertThat(loop.transport()).isEqualTo(LoopTransport.NIO);
		}
		LoopOptions options = LoopOptions.named("group").withTransport(LoopTransport.NIO);
		try (EventLoopGroup group = new EventLoopGroup(2, options)) {
			assertThat(group.transport()).isEqualTo(LoopTransport.NIO);
		}
	}

}
