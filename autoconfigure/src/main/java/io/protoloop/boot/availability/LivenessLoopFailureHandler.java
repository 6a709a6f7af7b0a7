package io.protoloop.boot.availability;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationContext;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.LoopFailureHandler;

/**
 * Treats an event loop that died of a fatal error (an {@link OutOfMemoryError}, say) as fatal for the process:
 * the loop's connections are gone and it takes no new ones, so the application is only half alive. Its liveness
 * goes to {@link LivenessState#BROKEN}, so an orchestrator probing liveness restarts it, and, unless
 * {@code protoloop.loop.exit-on-fatal-error=false}, the process exits with status {@value #EXIT_STATUS} after the
 * context closed gracefully.
 */
public final class LivenessLoopFailureHandler implements LoopFailureHandler {

	/** The exit status of a process that exits because a loop died. */
	public static final int EXIT_STATUS = 1;

	private static final Log logger = LogFactory.getLog(LivenessLoopFailureHandler.class);

	private final ApplicationContext context;

	private final boolean exit;

	/**
	 * @param context where liveness is published, closed before the process exits
	 * @param exit whether to exit the process
	 */
	public LivenessLoopFailureHandler(ApplicationContext context, boolean exit) {
		this.context = context;
		this.exit = exit;
	}

	@Override
	public void loopFailed(EventLoop loop, Throwable error) {
		logger.error("Event loop '" + loop.name() + "' died of " + error + ": the application's liveness is now "
				+ "BROKEN" + (this.exit ? "; exiting (protoloop.loop.exit-on-fatal-error)" : ""));
		AvailabilityChangeEvent.publish(this.context, LivenessState.BROKEN);
		if (this.exit) {
			// Not on the dying loop's thread: closing the context waits for every loop thread to end.
			try {
				new Thread(this::exit, "protoloop-exit").start();
			}
			catch (OutOfMemoryError noThread) {
				// Not even a thread to close the context with: end the process the only way left.
				Runtime.getRuntime().halt(EXIT_STATUS);
			}
		}
	}

	private void exit() {
		int status = EXIT_STATUS;
		try {
			status = SpringApplication.exit(this.context, () -> EXIT_STATUS);
		}
		finally {
			System.exit(status);
		}
	}

}
