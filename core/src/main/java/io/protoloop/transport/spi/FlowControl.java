package io.protoloop.transport.spi;

import io.protoloop.transport.WriteBufferLimits;

/**
 * Write flow control: decides when a protocol must be told to pause or resume writing. {@code pause} is due
 * when the buffer goes strictly over the high watermark and {@code resume} when it drains to the low
 * watermark or below; they alternate, so a protocol sees one pause, then one resume. Shared by every
 * transport kind and by the test transport.
 */
public final class FlowControl {

	private WriteBufferLimits limits;

	private boolean paused;

	/**
	 * Creates flow control with the given limits.
	 * @param limits the high and low watermarks to start with
	 */
	public FlowControl(WriteBufferLimits limits) {
		this.limits = limits;
	}

	/**
	 * {@return the current limits}
	 */
	public WriteBufferLimits limits() {
		return this.limits;
	}

	/**
	 * Replaces the limits; the caller then checks {@link #shouldPause(long)}, as asyncio does.
	 * @param limits the new high and low watermarks
	 */
	public void setLimits(WriteBufferLimits limits) {
		this.limits = limits;
	}

	/**
	 * {@return {@code true} while the protocol is paused}
	 */
	public boolean isPaused() {
		return this.paused;
	}

	/**
	 * {@return {@code true}, and records the pause, if the protocol must be paused now}
	 * @param bufferSize the write buffer's size now, in bytes
	 */
	public boolean shouldPause(long bufferSize) {
		if (!this.paused && bufferSize > this.limits.high()) {
			this.paused = true;
			return true;
		}
		return false;
	}

	/**
	 * {@return {@code true}, and records the resume, if a paused protocol must be resumed now}
	 * @param bufferSize the write buffer's size now, in bytes
	 */
	public boolean shouldResume(long bufferSize) {
		if (this.paused && bufferSize <= this.limits.low()) {
			this.paused = false;
			return true;
		}
		return false;
	}

}
