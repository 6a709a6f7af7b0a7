package io.protoloop.test;

/**
 * How calls reach an in-memory transport's loop, and where the callbacks it makes are logged: the test kit's
 * {@link TestDriver} for a transport a test drives synchronously, {@link #DIRECT} for transports on a loop that
 * someone runs.
 */
interface Driver {

	/** Runs calls where they are made and logs nothing: for transports on a loop their user runs. */
	Driver DIRECT = new Driver() {

		@Override
		public void run(Runnable action) {
			action.run();
		}

		@Override
		public void called(String callback) {
		}

	};

	/** Runs {@code action}, which may call into the protocol, as a callback of the transport's loop. */
	void run(Runnable action);

	/** Logs that the transport is about to call {@code callback} on its protocol. */
	void called(String callback);

}
