package io.protoloop.nio;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.TimerHandle;
import io.protoloop.metrics.LoopRecorder;
import io.protoloop.testing.RunningLoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The statistics a loop always keeps about itself, and its recorder. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopStatisticsTests {

	private final RunningLoop running = new RunningLoop("stats");

	private final SelectorEventLoop loop = this.running.loop();

	@AfterEach
	void close() {
		this.running.close();
	}

	/** Records what the loop reports. */
	static final class Recording implements LoopRecorder {

		final List<Long> lags = new CopyOnWriteArrayList<>();

		final List<Long> slow = new CopyOnWriteArrayList<>();

		@Override
		public void timerLag(long nanos) {
			this.lags.add(nanos);
		}

		@Override
		public void slowCallback(long nanos) {
			this.slow.add(nanos);
		}

	}

	private static void spin(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	@Test
	void slowCallbacksAreCountedAndRecordedWithoutDebugMode() throws Exception {
		Recording recording = new Recording();
		this.loop.setRecorder(recording);
		this.loop.setSlowCallbackDuration(Duration.ofMillis(20));
		assertThat(this.loop.isDebug()).isFalse();

		this.running.run(() -> {
		});
		long before = this.loop.slowCallbacks();
		this.running.run(() -> spin(Duration.ofMillis(40)));
		this.running.run(() -> {
		});

		assertThat(this.loop.slowCallbacks()).isEqualTo(before + 1);
		assertThat(recording.slow).singleElement()
			.satisfies((nanos) -> assertThat(nanos).isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos()));
	}

	@Test
	void everyTimerThatRunsReportsHowLateItWas() throws Exception {
		Recording recording = new Recording();
		this.loop.setRecorder(recording);
		CountDownLatch fired = new CountDownLatch(3);

		this.running.run(() -> {
			for (int i = 0; i < 3; i++) {
				this.loop.callLater(Duration.ofMillis(i), fired::countDown);
			}
			TimerHandle cancelled = this.loop.callLater(Duration.ofMillis(1), fired::countDown);
			cancelled.cancel();
		});

		assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
		this.running.run(() -> {
		});
		assertThat(recording.lags).hasSize(3).allSatisfy((lag) -> assertThat(lag).isNotNegative());
	}

	@Test
	void busyAndIdleTimeGrowAndABlockingCallbackShowsAsTheCurrentIterationTime() throws Exception {
		this.running.run(() -> {
		});
		long busy = this.loop.busyNanos();
		long idle = this.loop.idleNanos();
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);

		this.loop.execute(() -> {
			entered.countDown();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
		Duration blocked = this.loop.currentIterationTime();
		release.countDown();
		this.running.run(() -> {
		});

		assertThat(blocked).isPositive();
		assertThat(this.loop.busyNanos()).isGreaterThan(busy);
		assertThat(this.loop.idleNanos()).isGreaterThanOrEqualTo(idle);
	}

	@Test
	void anIdleLoopHasNoCurrentIterationAndCountsItsTimers() throws Exception {
		this.running.run(() -> this.loop.callLater(Duration.ofHours(1), () -> {
		}));
		// The iteration that scheduled the timer has ended once another task has run.
		this.running.run(() -> {
		});

		assertThat(this.loop.pendingTasks()).isGreaterThanOrEqualTo(1);
		long deadline = System.nanoTime() + RunningLoop.TIMEOUT.toNanos();
		while (!this.loop.currentIterationTime().isZero()) {
			assertThat(System.nanoTime()).as("the loop goes back to waiting").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	@Test
	void aNegativeSlowCallbackDurationIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.loop.setSlowCallbackDuration(Duration.ofMillis(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loop.setSlowCallbackDuration(null));
	}

}
