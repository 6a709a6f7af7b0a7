package io.protoloop.transport.spi;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

import io.protoloop.protocol.BufferedProtocol;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;

/**
 * Hands bytes a transport has already read to a streaming protocol of either kind: a {@link Protocol} gets them
 * in {@code dataReceived}; a {@link BufferedProtocol} gets them copied into the buffers its {@code getBuffer}
 * hands out, each followed by {@code bufferUpdated}. For transports whose bytes do not come straight from a
 * channel into the protocol's buffer (TLS, pipes).
 */
public final class StreamDelivery {

	private StreamDelivery() {
	}

	/**
	 * Delivers the remaining bytes of {@code data}.
	 * @param failed told the exception and the name of the callback that threw ({@code dataReceived},
	 * {@code getBuffer}, {@code bufferUpdated}), which ends the delivery: all of them are fatal to the connection
	 * @param protocol the receiving protocol: a {@code BufferedProtocol} gets the bytes copied into the buffers it
	 * hands out
	 * @param data the bytes received, from its position to its limit
	 */
	public static void deliver(StreamProtocol protocol, ByteBuffer data, BiConsumer<Throwable, String> failed) {
		if (!(protocol instanceof BufferedProtocol buffered)) {
			try {
				((Protocol) protocol).dataReceived(data);
			}
			catch (Throwable ex) {
				failed.accept(ex, "dataReceived");
			}
			return;
		}
		while (data.hasRemaining()) {
			ByteBuffer target;
			try {
				target = buffered.getBuffer(data.remaining());
				if (target == null || !target.hasRemaining()) {
					throw new IllegalStateException("getBuffer() returned an empty buffer");
				}
			}
			catch (Throwable ex) {
				failed.accept(ex, "getBuffer");
				return;
			}
			int n = Math.min(target.remaining(), data.remaining());
			target.put(data.slice(data.position(), n));
			data.position(data.position() + n);
			try {
				buffered.bufferUpdated(n);
			}
			catch (Throwable ex) {
				failed.accept(ex, "bufferUpdated");
				return;
			}
		}
	}

}
