package io.protoloop.process.pipes;

/**
 * Where a {@link ReadPipe}'s bytes come from: a selectable channel, or a {@link ReadPump} over a blocking
 * stream. It hands what it reads to the pipe's {@code received}, {@code ended} and {@code failed}, on the loop
 * thread and only while reading is on. Called on the loop thread.
 */
public interface PipeSource {

	/**
	 * Tells the source which pipe to hand its input to; called once, before reading starts.
	 * @param pipe the pipe transport that delivers this source's input to its protocol
	 */
	void attach(ReadPipe pipe);

	/**
	 * Starts ({@code true}) or stops handing input to the pipe.
	 * @param reading {@code true} to hand input over, {@code false} to stop
	 */
	void readingChanged(boolean reading);

	/**
	 * Closes the channel or stream; nothing more is handed to the pipe. Runs {@code released} once the pipe's
	 * end is let go: at once, or later when a read in progress holds it until it returns.
	 * @param released run on the loop thread once the channel or stream is released
	 */
	void close(Runnable released);

	/**
	 * {@return what {@code getExtraInfo("pipe")} returns: the channel or stream}
	 */
	Object pipe();

}
