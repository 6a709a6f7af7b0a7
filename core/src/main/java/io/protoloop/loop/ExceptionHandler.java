package io.protoloop.loop;

/**
 * Receives errors that no caller can handle: exceptions thrown by callbacks and protocols, and unexpected
 * transport errors. Installed with {@link EventLoop#setExceptionHandler(ExceptionHandler)}.
 */
@FunctionalInterface
public interface ExceptionHandler {

	/**
	 * Handles one error. Runs on the loop thread; if it throws, the loop logs both errors and carries on.
	 * @param loop the loop that caught the error
	 * @param context what happened
	 */
	void handle(EventLoop loop, ExceptionContext context);

}
