package io.protoloop.transport;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * The state of one transport at one moment, for observers such as the actuator endpoint. Taken on the
 * transport's loop thread.
 * @param id a number unique to the transport within the process
 * @param peer the remote address, or {@code null}
 * @param local the local address
 * @param age how long the transport has existed
 * @param bytesReceived bytes read so far
 * @param bytesSent bytes written to the socket so far
 * @param writeBufferSize bytes buffered now
 * @param writeBufferLimits the write buffer's high and low watermarks now
 * @param writingPaused whether the protocol's writing is paused
 * @param readingPaused whether reading is paused
 * @param closing whether the transport is closing
 */
public record TransportSnapshot(long id, SocketAddress peer, SocketAddress local, Duration age, long bytesReceived,
		long bytesSent, long writeBufferSize, WriteBufferLimits writeBufferLimits, boolean writingPaused,
		boolean readingPaused, boolean closing) {
}
