package io.protoloop.process.pipes;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a {@link WritePipe}'s bytes go: a selectable channel, or a {@link WritePump} over a blocking stream. Like
 * a non-blocking socket, it takes what it can at once and later tells the pipe ({@code writable()}) that it can
 * take more. Called on the loop thread.
 */
public interface PipeSink {

	/**
	 * Tells the sink which pipe to tell when it can take more; called once, before any write.
	 * @param pipe the pipe transport to tell when this sink can take more
	 */
	void attach(WritePipe pipe);

	/**
	 * Takes what it can of {@code data} without blocking, advancing its position.
	 * @param data the bytes to write
	 * @return the number of bytes taken, possibly 0
	 * @throws IOException if the channel or stream fails
	 */
	int write(ByteBuffer data) throws IOException;

	/**
	 * Asks ({@code true}) to be told through the pipe's {@code writable()} when it can take more, or stops asking.
	 * @param on {@code true} to be told, {@code false} to stop
	 */
	void awaitWritable(boolean on);

	/**
	 * Closes the channel or stream, then runs {@code released} on the loop thread.
	 * @param graceful whether what the sink has taken must still be written first; otherwise it is dropped
	 * @param released run on the loop thread once closed
	 */
	void close(boolean graceful, Runnable released);

	/**
	 * {@return what {@code getExtraInfo("pipe")} returns: the channel or stream}
	 */
	Object pipe();

}
