package io.protoloop.loop;

/**
 * Told when an event loop dies of an error no callback may survive (a {@link VirtualMachineError} such as
 * {@link OutOfMemoryError}): its connections are aborted and it takes no new work, so the process is only
 * half alive. The Spring Boot starter marks the application's liveness BROKEN and, by default, exits.
 */
@FunctionalInterface
public interface LoopFailureHandler {

	/**
	 * Called on the dying loop's thread, after the failure was logged and before the loop closes.
	 * @param loop the loop that died
	 * @param error what killed it
	 */
	void loopFailed(EventLoop loop, Throwable error);

}
