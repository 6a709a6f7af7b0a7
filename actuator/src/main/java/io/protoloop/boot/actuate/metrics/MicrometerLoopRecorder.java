package io.protoloop.boot.actuate.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;

import io.protoloop.metrics.LoopRecorder;

/** Records how late each timer of one loop runs, as the loop's lag. */
final class MicrometerLoopRecorder implements LoopRecorder {

	private final Timer lag;

	MicrometerLoopRecorder(Timer lag) {
		this.lag = lag;
	}

	@Override
	public void timerLag(long nanos) {
		this.lag.record(nanos, TimeUnit.NANOSECONDS);
	}

}
