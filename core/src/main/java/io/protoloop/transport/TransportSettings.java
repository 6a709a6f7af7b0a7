package io.protoloop.transport;

import java.util.Objects;

import io.protoloop.metrics.TransportRecorder;

/**
 * What every transport is set up with, whatever created it: shared by the options of servers, connections and
 * datagram endpoints, so a setting added here reaches every kind of transport.
 * @param writeBufferLimits the watermarks a transport starts with
 * @param recorder told about the transport's events, for metrics
 */
public record TransportSettings(WriteBufferLimits writeBufferLimits, TransportRecorder recorder) {

	/** The default watermarks (64 KiB / 16 KiB), no metrics. */
	public static final TransportSettings DEFAULT = new TransportSettings(WriteBufferLimits.DEFAULT,
			TransportRecorder.NONE);

	/** Validates the settings. */
	public TransportSettings {
		Objects.requireNonNull(writeBufferLimits, "writeBufferLimits");
		Objects.requireNonNull(recorder, "recorder");
	}

	/** Returns a copy with other starting watermarks. */
	public TransportSettings withWriteBufferLimits(WriteBufferLimits writeBufferLimits) {
		return new TransportSettings(writeBufferLimits, this.recorder);
	}

	/** Returns a copy that reports to {@code recorder}. */
	public TransportSettings withRecorder(TransportRecorder recorder) {
		return new TransportSettings(this.writeBufferLimits, recorder);
	}

}
