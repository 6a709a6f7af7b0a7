package io.protoloop.nio;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.Handle;
import io.protoloop.loop.TimerHandle;
import io.protoloop.testing.RunningLoop;

import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debug mode: callbacks slower than the slow-callback duration are logged by name, others are not, and nothing
 * is logged outside debug mode. Slow work is simulated by spinning inside the callback.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class DebugModeTests {

	private static final Pattern SLOW = Pattern.compile("Executing (.+) took (\\d+\\.\\d{3}) seconds");

	private static final Duration SLOW_WORK = Duration.ofMillis(50);

	private final LogCapture log = LogCapture.eventLoop();

	@AfterEach
	void stopCapturing() {
		this.log.close();
	}

	@Test
	void debugModeIsOffByDefaultWithAsyncioThreshold() {
		SelectorEventLoop loop = new SelectorEventLoop("defaults");
		try {
			assertThat(loop.isDebug()).isFalse();
			assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofMillis(100));
		}
		finally {
			loop.close();
		}
	}

	@Test
	void debugModeAndThresholdComeFromTheOptionsAndCanBeChanged() {
		SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("options").withDebug(true)
			.withSlowCallbackDuration(Duration.ofMillis(7)));
		try {
			assertThat(loop.isDebug()).isTrue();
			assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofMillis(7));
			assertThat(loop).hasToString("SelectorEventLoop[options, debug]");

			loop.setDebug(false);
			loop.setSlowCallbackDuration(Duration.ofSeconds(1));

			assertThat(loop.isDebug()).isFalse();
			assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofSeconds(1));
		}
		finally {
			loop.close();
		}
	}

	@Test
	void aSlowCallbackIsLoggedByNameInDebugMode() throws Exception {
		try (RunningLoop running = new RunningLoop("debug-slow")) {
			SelectorEventLoop loop = running.loop();
			loop.setSlowCallbackDuration(Duration.ofMillis(20));
			loop.setDebug(true);

			loop.callSoonThreadsafe(new SlowWork("slow-work-1", SLOW_WORK));
			// The warning is logged right after the callback, before anything that follows it.
			running.call(() -> null);

			LogRecord record = singleSlowWarning("slow-work-1");
			Matcher matcher = SLOW.matcher(record.getMessage());
			assertThat(matcher.matches()).as(record.getMessage()).isTrue();
			assertThat(matcher.group(1)).isEqualTo("Handle[slow-work-1]");
			assertThat(Double.parseDouble(matcher.group(2))).isGreaterThanOrEqualTo(0.050);
		}
	}

	@Test
	void aSlowTimerCallbackIsLoggedAsATimerHandle() throws Exception {
		try (RunningLoop running = new RunningLoop("debug-timer")) {
			SelectorEventLoop loop = running.loop();
			loop.setSlowCallbackDuration(Duration.ofMillis(20));
			loop.setDebug(true);

			running.run(() -> loop.callLater(Duration.ZERO, new SlowWork("slow-timer", SLOW_WORK)));
			CompletableFuture<Void> after = new CompletableFuture<>();
			running.run(() -> loop.callLater(Duration.ZERO, () -> after.complete(null)));
			RunningLoop.await(after);

			assertThat(singleSlowWarning("slow-timer").getMessage()).startsWith("Executing TimerHandle[slow-timer] took ");
		}
	}

	@Test
	void slowCallbacksAreNotLoggedOutsideDebugMode() throws Exception {
		try (RunningLoop running = new RunningLoop("no-debug")) {
			SelectorEventLoop loop = running.loop();
			loop.setSlowCallbackDuration(Duration.ofMillis(20));
			assertThat(loop.isDebug()).isFalse();

			loop.callSoonThreadsafe(new SlowWork("slow-but-not-debugging", SLOW_WORK));
			running.call(() -> null);

			assertThat(this.log.recordsContaining("slow-but-not-debugging")).isEmpty();
		}
	}

	@Test
	void callbacksFasterThanTheThresholdAreNotLogged() throws Exception {
		try (RunningLoop running = new RunningLoop("debug-fast")) {
			SelectorEventLoop loop = running.loop();
			// Far above the work below, so that a busy machine cannot make it look slow.
			loop.setSlowCallbackDuration(Duration.ofSeconds(5));
			loop.setDebug(true);

			loop.callSoonThreadsafe(new SlowWork("quick", Duration.ZERO));
			loop.callSoonThreadsafe(new SlowWork("under-the-threshold", SLOW_WORK));
			running.call(() -> null);

			assertThat(this.log.recordsContaining("Executing")).extracting(LogRecord::getMessage).isEmpty();
		}
	}

	@Test
	void aCallbackRunningWhenDebugModeIsTurnedOnIsNotReportedAsSlow() {
		SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("debug-switched-on")
			.withSlowCallbackDuration(Duration.ofSeconds(5)));
		try {
			loop.callSoon(new Runnable() {

				@Override
				public void run() {
					// As a test thread or a management endpoint may do at any moment.
					loop.setDebug(true);
				}

				@Override
				public String toString() {
					return "turns-debug-on";
				}

			});
			loop.callSoon(loop::stop);

			runForeverBounded(loop);
		}
		finally {
			loop.close();
		}

		assertThat(this.log.recordsContaining("turns-debug-on")).extracting(LogRecord::getMessage).isEmpty();
	}

	@Test
	void theDurationIsWrittenWithADecimalPointWhateverTheDefaultLocale() {
		Locale locale = Locale.getDefault();
		SelectorEventLoop loop = new SelectorEventLoop(LoopOptions.named("debug-locale").withDebug(true)
			.withSlowCallbackDuration(Duration.ofMillis(20)));
		try {
			Locale.setDefault(Locale.GERMANY);
			loop.callSoon(new SlowWork("german-locale", SLOW_WORK));
			loop.callSoon(loop::stop);

			runForeverBounded(loop);
		}
		finally {
			Locale.setDefault(locale);
			loop.close();
		}

		assertThat(singleSlowWarning("german-locale").getMessage()).matches(SLOW);
	}

	private LogRecord singleSlowWarning(String name) {
		List<LogRecord> records = this.log.recordsContaining(name);
		assertThat(records).hasSize(1);
		assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
		return records.get(0);
	}

	/** A callback doing {@code duration} of work, named for the log. */
	record SlowWork(String name, Duration duration) implements Runnable {

		@Override
		public void run() {
			LoopTesting.spin(this.duration);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
