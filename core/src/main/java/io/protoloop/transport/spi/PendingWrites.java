package io.protoloop.transport.spi;

/**
 * What a transport has accepted for sending and the operating system has not yet taken, as the base class
 * sees it: a size in bytes for flow control, and a way to drop it all on abort. Not API.
 */
public interface PendingWrites {

	/** For transports that send nothing themselves (the read end of a pipe, a child process): always empty. */
	PendingWrites NONE = new PendingWrites() {

		@Override
		public long size() {
			return 0;
		}

		@Override
		public void clear() {
		}

	};

	/**
	 * {@return the size that counts toward the write buffer watermarks}
	 */
	long size();

	/**
	 * {@return {@code true} when nothing is pending}
	 */
	default boolean isEmpty() {
		return size() == 0;
	}

	/** Drops everything pending. */
	void clear();

}
