package io.protoloop.nio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.Deadline;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.VirtualClock;

import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Deadlines the loop watches with one timer, in virtual time: exact when they are sparse, at most
 * {@link Deadline#MAX_LATENESS} late when many fall together, and never a timer each.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class DeadlineTests {

	private final VirtualClock clock = new VirtualClock();

	private final SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("deadlines").withClock(this.clock));

	private final List<String> log = new ArrayList<>();

	@AfterEach
	void closeLoop() {
		this.loop.close();
	}

	/** A deadline at a settable time that logs its expiry and the time it ran at. */
	private final class Watched extends Deadline {

		private final String name;

		long at;

		long ranAt = -1;

		int asked;

		Watched(String name, Duration at) {
			this.name = name;
			this.at = at.toNanos();
		}

		@Override
		protected long deadline() {
			this.asked++;
			return this.at;
		}

		@Override
		protected void expired() {
			this.ranAt = DeadlineTests.this.loop.time();
			DeadlineTests.this.log.add(this.name + " at " + Duration.ofNanos(this.ranAt).toMillis() + " ms");
		}

	}

	private void stopAt(Duration at) {
		this.loop.callLater(at, this.loop::stop);
	}

	@Test
	void sparseDeadlinesExpireExactlyAtTheirTimeAndShareOneTimer() {
		Watched tenSeconds = new Watched("a", Duration.ofSeconds(10));
		Watched twentySeconds = new Watched("b", Duration.ofSeconds(20));
		this.loop.watch(twentySeconds);
		this.loop.watch(tenSeconds);

		assertThat(this.loop.watchedDeadlines()).isEqualTo(2);
		assertThat(this.loop.pendingTimers()).isEqualTo(1);
		assertThat(tenSeconds.isWatched()).isTrue();
		stopAt(Duration.ofSeconds(30));
		runForeverBounded(this.loop);

		assertThat(this.log).containsExactly("a at 10000 ms", "b at 20000 ms");
		assertThat(this.loop.watchedDeadlines()).isZero();
		assertThat(tenSeconds.isWatched()).isFalse();
		assertThat(this.loop.pendingTimers()).isZero();
	}

	@Test
	void aDeadlineThatMovedLaterExpiresAtItsNewTimeNotTheOldOne() {
		Watched moving = new Watched("moving", Duration.ofSeconds(10));
		this.loop.watch(moving);
		this.loop.callLater(Duration.ofSeconds(5), () -> moving.at = Duration.ofSeconds(25).toNanos());
		stopAt(Duration.ofSeconds(60));

		runForeverBounded(this.loop);

		assertThat(this.log).containsExactly("moving at 25000 ms");
	}

	@Test
	void manyDeadlinesCloseTogetherRunAtMostMaxLatenessLateFromFewWalks() {
		// 1,000 deadlines 1 ms apart: a walk at each would ask every deadline about 500 times on average.
		List<Watched> deadlines = new ArrayList<>();
		for (int i = 1; i <= 1000; i++) {
			Watched deadline = new Watched("d" + i, Duration.ofSeconds(1).plusMillis(i));
			deadlines.add(deadline);
			this.loop.watch(deadline);
		}
		assertThat(this.loop.pendingTimers()).isEqualTo(1);
		stopAt(Duration.ofSeconds(10));

		runForeverBounded(this.loop);

		long lateness = Deadline.MAX_LATENESS.toNanos();
		for (Watched deadline : deadlines) {
			assertThat(deadline.ranAt).as(deadline.name).isBetween(deadline.at, deadline.at + lateness);
		}
		// One ask at watch, then one per walk: a walk at 1.001 s, then one per 100 ms up to 2 s, 11 at most.
		assertThat(deadlines.stream().mapToInt((deadline) -> deadline.asked).max().getAsInt()).isLessThanOrEqualTo(12);
	}

	@Test
	void anUnwatchedDeadlineDoesNotExpireAndTheLastOneTakesTheTimerAway() {
		Watched unwatched = new Watched("unwatched", Duration.ofSeconds(10));
		this.loop.watch(unwatched);
		this.loop.unwatch(unwatched);

		assertThat(this.loop.watchedDeadlines()).isZero();
		assertThat(this.loop.pendingTimers()).isZero();
		stopAt(Duration.ofSeconds(20));
		runForeverBounded(this.loop);

		assertThat(this.log).isEmpty();
	}

	@Test
	void anExpiryThatUnwatchesAnotherDueDeadlineKeepsItFromRunning() {
		Watched second = new Watched("second", Duration.ofSeconds(10));
		Deadline first = new Deadline() {
			@Override
			protected long deadline() {
				return Duration.ofSeconds(10).toNanos();
			}

			@Override
			protected void expired() {
				DeadlineTests.this.log.add("first");
				DeadlineTests.this.loop.unwatch(second);
			}
		};
		this.loop.watch(first);
		this.loop.watch(second);
		stopAt(Duration.ofSeconds(20));

		runForeverBounded(this.loop);

		// Both were due in the same walk; whichever ran first, the other one must not run after being unwatched.
		assertThat(this.log).hasSize(1);
	}

	@Test
	void anExpiryThatThrowsGoesToTheExceptionHandlerAndTheOthersStillRun() {
		List<ExceptionContext> errors = new ArrayList<>();
		this.loop.setExceptionHandler((loop, context) -> errors.add(context));
		IllegalStateException boom = new IllegalStateException("boom");
		this.loop.watch(new Deadline() {
			@Override
			protected long deadline() {
				return Duration.ofSeconds(10).toNanos();
			}

			@Override
			protected void expired() {
				throw boom;
			}
		});
		this.loop.watch(new Watched("other", Duration.ofSeconds(10)));
		stopAt(Duration.ofSeconds(20));

		runForeverBounded(this.loop);

		assertThat(this.log).containsExactly("other at 10000 ms");
		assertThat(errors).singleElement().satisfies((error) -> {
			assertThat(error.exception()).isSameAs(boom);
			assertThat(error.message()).isEqualTo("Exception in deadline");
		});
	}

	@Test
	void aDeadlineThatCannotSayWhenIsReportedAndUnwatchedAndTheOthersStillRun() {
		List<ExceptionContext> errors = new ArrayList<>();
		this.loop.setExceptionHandler((loop, context) -> errors.add(context));
		IllegalStateException broken = new IllegalStateException("no deadline");
		Deadline failing = new Deadline() {
			private boolean asked;

			@Override
			protected long deadline() {
				if (this.asked) {
					throw broken;
				}
				this.asked = true;
				return Duration.ofSeconds(10).toNanos();
			}

			@Override
			protected void expired() {
				DeadlineTests.this.log.add("failing expired");
			}
		};
		this.loop.watch(failing);
		this.loop.watch(new Watched("other", Duration.ofSeconds(10)));
		stopAt(Duration.ofSeconds(20));

		runForeverBounded(this.loop);

		assertThat(this.log).containsExactly("other at 10000 ms");
		assertThat(failing.isWatched()).isFalse();
		assertThat(errors).singleElement().satisfies((error) -> assertThat(error.exception()).isSameAs(broken));
	}

	@Test
	void aDeadlineIsWatchedByOneLoopAtATime() {
		Watched deadline = new Watched("shared", Duration.ofSeconds(10));
		this.loop.watch(deadline);
		this.loop.watch(deadline);
		assertThat(this.loop.watchedDeadlines()).isEqualTo(1);
		try (SelectorEventLoop other = new SelectorEventLoop(LoopOptions.named("other"))) {
			assertThatIllegalStateException().isThrownBy(() -> other.watch(deadline))
				.withMessageContaining("another loop");
			other.unwatch(deadline);
		}
		assertThat(deadline.isWatched()).isTrue();
	}

}
