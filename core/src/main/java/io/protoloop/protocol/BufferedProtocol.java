package io.protoloop.protocol;

import java.nio.ByteBuffer;

/**
 * A streaming protocol that supplies the buffer the transport reads into, so received bytes land where the
 * protocol wants them with no intermediate copy.
 *
 * <pre>
 * start -&gt; connectionMade
 *     [-&gt; getBuffer
 *         [-&gt; bufferUpdated]?
 *     ]*
 *     [-&gt; eofReceived]?
 * -&gt; connectionLost -&gt; end
 * </pre>
 */
public interface BufferedProtocol extends StreamProtocol {

	/**
	 * Called before each read to obtain the buffer to read into. The transport reads into the buffer's
	 * remaining space, starting at its position.
	 * @param sizeHint the recommended minimum size, or {@code -1} when any size will do
	 * @return a buffer with at least one byte remaining
	 */
	ByteBuffer getBuffer(int sizeHint);

	/**
	 * Called when {@code nbytes} bytes were read into the buffer returned by the last {@link #getBuffer}
	 * call; its position has been advanced past them.
	 * @param nbytes the number of bytes written into the buffer, always positive
	 */
	void bufferUpdated(int nbytes);

}
