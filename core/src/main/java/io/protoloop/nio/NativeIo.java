package io.protoloop.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The native half of a loop on Linux: an epoll set and sockets driven through the Foreign Function &amp; Memory
 * API. Its implementation ({@code EpollIo}) is compiled for Java 22 into this jar's
 * {@code META-INF/versions/22} and found by name, so this package still runs on Java 17 with {@code java.nio}.
 *
 * <p>The loop keeps its JDK selector for what only the JDK can open (pipes, Unix domain datagram channels,
 * adopted channels); the native half waits for both.
 */
interface NativeIo extends Sockets {

	/**
	 * Waits for readiness of the native sockets and the JDK selector's channels, and dispatches it to their
	 * handlers through the loop.
	 * @param timeoutNanos 0 to only look, negative to wait until something is ready or {@link #wakeup()}
	 * @throws IOException if epoll fails
	 */
	void poll(long timeoutNanos) throws IOException;

	/** Makes a {@link #poll} in progress, or the next one, return at once. Any thread. */
	void wakeup();

	/** Releases the epoll set; the loop has closed its sockets first. */
	void close();

	/** Opens the native half of a loop, where the JVM and the OS offer it. */
	interface Provider {

		/** {@return {@code null} if the native I/O can be used here, else why not, in a sentence} */
		String unavailableReason();

		/**
		 * Opens the native half of {@code loop}.
		 * @param loop the loop it dispatches readiness to
		 * @return the native I/O
		 * @throws IOException if epoll cannot be set up
		 */
		NativeIo open(SelectorEventLoop loop) throws IOException;

	}

	/** {@return {@code null} if loops can use native I/O in this JVM, else why not} */
	static String unavailableReason() {
		return Availability.REASON;
	}

	/**
	 * Opens the native half of {@code loop}; call only when {@link #unavailableReason()} is {@code null}.
	 * @param loop the loop it serves
	 * @return the native I/O
	 * @throws IOException if epoll cannot be set up
	 */
	static NativeIo open(SelectorEventLoop loop) throws IOException {
		return Availability.PROVIDER.open(loop);
	}

	/** Looks for the provider once per JVM. */
	final class Availability {

		private static final String PROVIDER_CLASS = "io.protoloop.nio.EpollProvider";

		static final Provider PROVIDER;

		static final String REASON;

		static {
			Provider provider = null;
			String reason;
			int feature = Runtime.version().feature();
			if (feature < 22) {
				reason = "it needs Java 22 or later (this is Java " + feature + ")";
			}
			else if (!System.getProperty("os.name", "").startsWith("Linux")) {
				reason = "it needs Linux (this is " + System.getProperty("os.name") + ")";
			}
			else {
				try {
					provider = (Provider) Class.forName(PROVIDER_CLASS).getDeclaredConstructor().newInstance();
					reason = provider.unavailableReason();
				}
				catch (ClassNotFoundException ex) {
					reason = "this protoloop-core jar was built without it (no " + PROVIDER_CLASS + ")";
				}
				catch (ReflectiveOperationException | LinkageError ex) {
					reason = "it could not be loaded: " + ex;
					System.getLogger(NativeIo.class.getName()).log(Level.DEBUG, reason, ex);
				}
			}
			PROVIDER = (reason == null) ? provider : null;
			REASON = reason;
		}

		private Availability() {
		}

	}

}
