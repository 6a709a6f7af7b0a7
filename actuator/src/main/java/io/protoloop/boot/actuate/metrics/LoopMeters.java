package io.protoloop.boot.actuate.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import io.protoloop.loop.EventLoop;
import io.protoloop.metrics.LoopRecorder;

/**
 * Every meter of the event loops, tagged {@code loop}, and the recorder each loop reports its lag to. A loop has
 * one recorder, so these are installed once, on the application's registry (the composite when there are
 * several), by the auto-configuration: installed from a {@code MeterBinder}, bound once per registry, the last
 * registry would take the recorder and the others would never see a lag.
 */
public final class LoopMeters {

	/**
	 * Registers the meters of each loop on {@code registry} and makes each loop record its lag there.
	 * @param registry where the meters go
	 * @param loops the loops to measure
	 */
	public LoopMeters(MeterRegistry registry, List<EventLoop> loops) {
		loops.forEach((loop) -> install(registry, loop));
	}

	private static void install(MeterRegistry registry, EventLoop loop) {
		Tags tags = Tags.of("loop", loop.name());
		Timer lag = ProtoloopMeters.LOOP_LAG.timer().tags(tags).register(registry);
		loop.setRecorder(new LagRecorder(lag));
		ProtoloopMeters.LOOP_TASKS_PENDING.gauge(loop, EventLoop::pendingTasks).tags(tags).register(registry);
		ProtoloopMeters.LOOP_CALLBACKS_SLOW.functionCounter(loop, EventLoop::slowCallbacks).tags(tags).register(registry);
		ProtoloopMeters.LOOP_BUSY.functionCounter(loop, (l) -> l.busyNanos() / 1e9).tags(tags).register(registry);
		ProtoloopMeters.LOOP_UTILIZATION.gauge(new Utilization(loop), Utilization::sample)
			.tags(tags)
			.strongReference(true)
			.register(registry);
	}

	/** Records how late each timer of one loop runs, as the loop's lag. */
	private static final class LagRecorder implements LoopRecorder {

		/** {@link ProtoloopMeters#LOOP_LAG} of the loop. */
		private final Timer lag;

		LagRecorder(Timer lag) {
			this.lag = lag;
		}

		@Override
		public void timerLag(long nanos) {
			this.lag.record(nanos, TimeUnit.NANOSECONDS);
		}

	}

	/** Busy share of a loop's time between two readings. */
	private static final class Utilization {

		private final EventLoop loop;

		/** The loop's busy time at the previous reading. */
		private long lastBusy;

		/** The loop's idle time at the previous reading. */
		private long lastIdle;

		Utilization(EventLoop loop) {
			this.loop = loop;
		}

		synchronized double sample() {
			long busy = this.loop.busyNanos();
			long idle = this.loop.idleNanos();
			long busyDelta = busy - this.lastBusy;
			long total = busyDelta + (idle - this.lastIdle);
			this.lastBusy = busy;
			this.lastIdle = idle;
			return (total > 0) ? (double) busyDelta / total : 0;
		}

	}

}
