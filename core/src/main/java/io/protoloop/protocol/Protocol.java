package io.protoloop.protocol;

import java.nio.ByteBuffer;

/**
 * A streaming protocol that receives data as it arrives.
 *
 * <p>Callbacks arrive in this order, on the transport's loop thread:
 * <pre>
 * start -&gt; connectionMade
 *     [-&gt; dataReceived]*
 *     [-&gt; eofReceived]?
 * -&gt; connectionLost -&gt; end
 * </pre>
 */
public interface Protocol extends StreamProtocol {

	/**
	 * Called when some data is received. The data is never empty and always arrives in order, but may be
	 * chunked in any way: parse incrementally.
	 *
	 * <p><b>Ownership:</b> the buffer is lent for the duration of the call. It is the transport's reusable
	 * read buffer, so its content is overwritten by the next read: copy what you need to keep. The protocol
	 * may consume it (move its position), or hand it straight to {@code transport.write(data)}, which copies
	 * whatever it cannot send at once.
	 * @param data the received bytes, between position and limit
	 */
	void dataReceived(ByteBuffer data);

}
