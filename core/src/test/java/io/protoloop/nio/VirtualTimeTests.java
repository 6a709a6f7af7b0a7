package io.protoloop.nio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.TimerHandle;
import io.protoloop.loop.VirtualClock;

import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A loop in virtual time, as asyncio's test loop: when nothing is ready the clock jumps to the next timer, so
 * long timeouts run at once and at exactly their deadline, while I/O that is ready still runs first.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class VirtualTimeTests {

	private final VirtualClock clock = new VirtualClock();

	private final SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("virtual").withClock(this.clock));

	@AfterEach
	void closeLoop() {
		this.loop.close();
	}

	@Test
	void anHourOfTimersRunsAtOnceEachExactlyAtItsDeadline() {
		List<Long> ranAt = new ArrayList<>();
		for (int minute = 60; minute > 0; minute--) {
			this.loop.callLater(Duration.ofMinutes(minute), () -> ranAt.add(this.loop.time()));
		}
		this.loop.callLater(Duration.ofHours(1), this.loop::stop);
		long realStart = System.nanoTime();

		runForeverBounded(this.loop);

		assertThat(ranAt).hasSize(60);
		for (int i = 0; i < 60; i++) {
			assertThat(ranAt.get(i)).isEqualTo(Duration.ofMinutes(i + 1).toNanos());
		}
		assertThat(this.clock.nanoTime()).isEqualTo(Duration.ofHours(1).toNanos());
		assertThat(System.nanoTime() - realStart).as("real time spent").isLessThan(Duration.ofMinutes(1).toNanos());
	}

	@Test
	void aTimeoutReArmedOnEveryEventFiresOnlyAfterTheLastOne() {
		// The 3.4 echo example: callLater(5 s, timeout) at connectionMade, cancelled and re-armed on each data.
		List<String> log = new ArrayList<>();
		TimerHandle[] timeout = new TimerHandle[1];
		Runnable arm = () -> timeout[0] = this.loop.callLater(Duration.ofSeconds(5), () -> {
			log.add("timeout at " + Duration.ofNanos(this.loop.time()).toSeconds() + " s");
			this.loop.stop();
		});
		arm.run();
		for (int second = 1; second <= 3; second++) {
			this.loop.callLater(Duration.ofSeconds(second * 4), () -> {
				log.add("data");
				timeout[0].cancel();
				arm.run();
			});
		}

		runForeverBounded(this.loop);

		assertThat(log).containsExactly("data", "data", "data", "timeout at 17 s");
		assertThat(this.loop.pendingTimers()).isZero();
	}

	@Test
	void callbacksThatAreReadyRunBeforeTheClockMoves() {
		List<Long> seen = new ArrayList<>();
		this.loop.callLater(Duration.ofDays(1), this.loop::stop);
		this.loop.callSoon(() -> {
			seen.add(this.loop.time());
			this.loop.callSoon(() -> seen.add(this.loop.time()));
		});

		runForeverBounded(this.loop);

		assertThat(seen).containsExactly(0L, 0L);
		assertThat(this.loop.time()).isEqualTo(Duration.ofDays(1).toNanos());
	}

	@Test
	void theClockCanBeMovedByHandButNeverBack() {
		this.clock.advance(Duration.ofSeconds(3));

		assertThat(this.loop.time()).isEqualTo(3_000_000_000L);
		assertThatIllegalArgumentException().isThrownBy(() -> this.clock.advance(Duration.ofSeconds(-1)))
			.withMessageContaining("cannot go back");
		assertThat(this.clock.skipTo(1)).isTrue();
		assertThat(this.loop.time()).as("skipping to an earlier deadline leaves the clock").isEqualTo(3_000_000_000L);
	}

}
