package io.protoloop.demo;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

import static org.assertj.core.api.Assertions.fail;

/** Bounded waits of the tests over real sockets: for a condition, for a task on a loop, for the server's side. */
public final class Waits {

	/** Bound on every wait. */
	public static final Duration WAIT = Duration.ofSeconds(20);

	private Waits() {
	}

	/** Runs {@code task} on the transport's loop, as a transport requires, and waits a bounded time for it. */
	public static <T> T onLoop(BaseTransport transport, Callable<T> task) {
		try {
			return transport.getLoop().submit(task).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not run on " + transport.getLoop(), ex);
		}
	}

	/** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
	public static void until(String description, BooleanSupplier condition) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Timed out after %s waiting for %s", WAIT, description);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // poll interval
		}
	}

	/** Returns the server's transport of the client at {@code clientAddress}, once the server has accepted it. */
	public static Transport serverSideOf(Server server, SocketAddress clientAddress) {
		Transport[] found = new Transport[1];
		until("the server accepts " + clientAddress, () -> {
			for (Transport transport : server.transports()) {
				if (clientAddress.equals(onLoop(transport, () -> transport.getExtraInfo(ExtraInfo.PEERNAME)))) {
					found[0] = transport;
					return true;
				}
			}
			return false;
		});
		return found[0];
	}

}
