package io.protoloop.bench;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.protoloop.loop.LoopTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The servers' loop transport from {@code -Dbench.loop.transport}: NIO unless it says epoll. */
class BenchLoopsTests {

	@AfterEach
	void clearProperty() {
		System.clearProperty(BenchLoops.TRANSPORT);
	}

	@Test
	void unsetItIsNio() {
		System.clearProperty(BenchLoops.TRANSPORT);
		assertThat(BenchLoops.transport()).isEqualTo(LoopTransport.NIO);
		assertThat(BenchLoops.unavailableReason()).isNull();
	}

	@Test
	void epollInAnyCaseIsEpoll() {
		System.setProperty(BenchLoops.TRANSPORT, "EPoll");
		assertThat(BenchLoops.transport()).isEqualTo(LoopTransport.EPOLL);
		if (Runtime.version().feature() < 22) {
			assertThat(BenchLoops.unavailableReason()).contains("Java 22");
		}
	}

	@Test
	void anythingElseIsRefused() {
		System.setProperty(BenchLoops.TRANSPORT, "io_uring");
		assertThatIllegalArgumentException().isThrownBy(BenchLoops::transport)
			.withMessage("-Dbench.loop.transport=io_uring: expected nio or epoll");
	}

}
