package io.protoloop.nio;

import java.nio.channels.SelectionKey;

/**
 * A registration of a socket with its loop: the operations ({@link SelectionKey#OP_READ} and the other
 * {@code SelectionKey} constants) whose readiness calls its {@link SelectorHandler}. A JDK channel's
 * {@link SelectionKey}, or a native socket's entry in its loop's epoll set.
 */
interface PollKey {

	/**
	 * Sets the operations to wait for; 0 waits for none.
	 * @param ops {@code SelectionKey} operation bits
	 */
	void interestOps(int ops);

	/** {@return {@code false} once cancelled or once the socket is closed} */
	boolean isValid();

	/** Stops waiting for the socket; closing the socket cancels its key as well. */
	void cancel();

	/**
	 * {@return the key of a JDK channel}
	 * @param key the channel's selection key
	 */
	static PollKey of(SelectionKey key) {
		return new PollKey() {

			@Override
			public void interestOps(int ops) {
				key.interestOps(ops);
			}

			@Override
			public boolean isValid() {
				return key.isValid();
			}

			@Override
			public void cancel() {
				key.cancel();
			}

		};
	}

}
