package io.protoloop.process.pipes;

import java.nio.ByteBuffer;

import io.protoloop.protocol.Protocol;

/**
 * The protocol on one pipe of a child process, after CPython's {@code ReadSubprocessPipeProto} and
 * {@code WriteSubprocessPipeProto}: it passes the pipe's events to the {@link ProcessTransport}, tagged with the
 * child's file descriptor.
 */
final class ChildPipeProtocol implements Protocol {

	private final ProcessTransport process;

	private final int fd;

	ChildPipeProtocol(ProcessTransport process, int fd) {
		this.process = process;
		this.fd = fd;
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		this.process.pipeDataReceived(this.fd, data);
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.process.pipeConnectionLost(this.fd, exc);
	}

	@Override
	public void pauseWriting() {
		this.process.pauseWriting();
	}

	@Override
	public void resumeWriting() {
		this.process.resumeWriting();
	}

	@Override
	public String toString() {
		return "ChildPipeProtocol[fd=" + this.fd + ", " + this.process + "]";
	}

}
