package io.protoloop.loop;

/**
 * How an event loop waits for and moves bytes: the JDK's {@code java.nio} selector, or Linux's epoll called
 * directly through the Foreign Function &amp; Memory API (Java 22 or later, with native access enabled).
 */
public enum LoopTransport {

	/** epoll where it is available, else {@code java.nio}, with one log line that says why. */
	AUTO,

	/** The JDK's selector and channels: every platform, every Java version from 17. */
	NIO,

	/** Linux epoll and sockets through FFM; a loop asked for it fails to start where it is unavailable. */
	EPOLL

}
