package io.protoloop.boot.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import io.protoloop.loop.EventLoop;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.SubprocessTransport;

/**
 * Ends the child processes still running when the application context closes, after the endpoints have
 * drained (their protocols may still have been using them): each gets {@code SIGTERM}, and those still running
 * when the shutdown timeout runs out get {@code SIGKILL}. Each signal is logged once, with the child's pid and
 * command line. Without it, the loops' own close would kill every child at once, with no chance to clean up.
 */
public final class SubprocessShutdown implements SmartLifecycle {

	/** Stops after the endpoints ({@code DEFAULT_PHASE - 1024}), so no protocol starts a child meanwhile. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private static final Log logger = LogFactory.getLog(SubprocessShutdown.class);

	/** Bound on waiting for a loop to list its children, and for killed children to be gone. */
	private static final Duration LOOP_TIMEOUT = Duration.ofSeconds(5);

	private final EventLoopGroup group;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * @param group the loops whose children are ended
	 * @param timeout how long children may take to exit after {@code SIGTERM} before they are killed
	 */
	public SubprocessShutdown(EventLoopGroup group, Duration timeout) {
		this.group = group;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		List<Child> children = new ArrayList<>();
		for (EventLoop loop : this.group.loops()) {
			children.addAll(terminateOn(loop));
		}
		if (children.isEmpty()) {
			callback.run();
			return;
		}
		allExited(children).orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((done, timedOut) -> {
				if (timedOut == null) {
					callback.run();
					return;
				}
				List<Child> left = children.stream().filter((child) -> !child.exit().isDone()).toList();
				left.forEach(this::kill);
				allExited(left).orTimeout(LOOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
					.whenComplete((killed, stillRunning) -> callback.run());
			});
	}

	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await(this.timeout.plus(LOOP_TIMEOUT).plus(LOOP_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** On {@code loop}'s thread: sends {@code SIGTERM} to each of its children that runs, and lists them. */
	private static List<Child> terminate(EventLoop loop) {
		List<Child> terminated = new ArrayList<>();
		for (SubprocessTransport transport : loop.subprocesses()) {
			if (transport.getReturncode() != null) {
				continue;
			}
			Process process = (Process) transport.getExtraInfo(ExtraInfo.SUBPROCESS);
			Child child = new Child(loop, transport, commandLine(process), process.onExit());
			logger.info("Terminating child process " + transport.getPid() + " (" + child.command()
					+ "), still running at shutdown (SIGTERM)");
			transport.terminate();
			terminated.add(child);
		}
		return terminated;
	}

	private void kill(Child child) {
		logger.warn("Killing child process " + child.transport().getPid() + " (" + child.command()
				+ "), still running " + this.timeout.toMillis() + "ms after SIGTERM (SIGKILL)");
		try {
			child.loop().callSoonThreadsafe(() -> child.transport().kill());
		}
		catch (IllegalStateException closedLoop) {
			// The loop closed meanwhile, which kills its children itself.
		}
	}

	private static CompletableFuture<Void> allExited(List<Child> children) {
		return CompletableFuture.allOf(children.stream().map(Child::exit).toArray(CompletableFuture[]::new));
	}

	/** The command line as the operating system knows it, for the log; the pid says enough without it. */
	private static String commandLine(Process process) {
		ProcessHandle.Info info = process.info();
		return info.commandLine().or(info::command).orElse("command unknown");
	}

	/**
	 * Terminates the children of {@code loop} on its thread, waiting a bounded time: none if the loop is closed
	 * (closing killed them) or stuck.
	 */
	private static List<Child> terminateOn(EventLoop loop) {
		try {
			return loop.submit(() -> terminate(loop)).get(LOOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			logger.warn("Could not end the child processes of event loop '" + loop.name() + "' at shutdown (closing "
					+ "the loop kills them): " + ex);
			return List.of();
		}
	}

	/** A child sent {@code SIGTERM}, with what it takes to kill it and to log it. */
	private record Child(EventLoop loop, SubprocessTransport transport, String command,
			CompletableFuture<Process> exit) {
	}

}
