package io.protoloop.test;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * How calls reach an in-memory transport's loop, and where the callbacks it makes are logged: the test kit's
 * {@link TestDriver} for a transport a test drives synchronously, {@link #DIRECT} for transports on a loop that
 * someone runs.
 */
interface Driver {

	/** Runs calls where they are made and logs nothing: for transports on a loop their user runs. */
	Driver DIRECT = new Driver() {

		@Override
		public <T> T call(Supplier<T> action) {
			return action.get();
		}

		@Override
		public void called(String callback) {
		}

		@Override
		public List<String> events() {
			return List.of();
		}

		@Override
		public void advance(Duration duration) {
			throw new UnsupportedOperationException("The clock belongs to the loop's user: move it there");
		}

	};

	/** Runs {@code action}, which may call into the protocol, as a callback of the transport's loop. */
	<T> T call(Supplier<T> action);

	/** Runs {@code action} as {@link #call(Supplier)} does. */
	default void run(Runnable action) {
		call(() -> {
			action.run();
			return null;
		});
	}

	/** Logs that the transport is about to call {@code callback} on its protocol. */
	void called(String callback);

	/** Returns the callbacks logged so far, in order. */
	List<String> events();

	/** Moves the loop's clock forward by {@code duration}, running the timers that come due. */
	void advance(Duration duration);

}
