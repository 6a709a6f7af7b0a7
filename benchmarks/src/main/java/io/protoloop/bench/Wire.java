package io.protoloop.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * How the load client's connections move bytes: straight over the socket, or through TLS ({@link TlsWire}).
 * Non-blocking: each call does what the socket allows now.
 */
interface Wire {

	/** Advances the handshake as far as the socket allows; returns whether the wire is ready for data. */
	boolean handshake() throws IOException;

	/** Reads what is available into {@code dst}; returns the bytes read, 0 if none, -1 at the end of stream. */
	int read(ByteBuffer dst) throws IOException;

	/** Writes what the socket takes from {@code src}; returns the bytes taken. */
	int write(ByteBuffer src) throws IOException;

	/** Returns whether bytes taken by {@link #write} still wait to go out: the caller waits for OP_WRITE. */
	boolean hasPendingOutput();

	/** The socket itself. */
	static Wire plain(SocketChannel channel) {
		return new Wire() {

			@Override
			public boolean handshake() {
				return true;
			}

			@Override
			public int read(ByteBuffer dst) throws IOException {
				return channel.read(dst);
			}

			@Override
			public int write(ByteBuffer src) throws IOException {
				return channel.write(src);
			}

			@Override
			public boolean hasPendingOutput() {
				return false;
			}

		};
	}

}
