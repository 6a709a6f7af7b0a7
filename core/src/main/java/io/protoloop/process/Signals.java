package io.protoloop.process;

/**
 * The numbers of the POSIX signals most often sent to a child, for
 * {@link io.protoloop.transport.SubprocessTransport#sendSignal(int)}; they are the same on every POSIX system.
 * Any other signal number of the platform may be sent too.
 */
public final class Signals {

	/** Hang up: the controlling terminal went away; many daemons reload their configuration. */
	public static final int SIGHUP = 1;

	/** Interrupt, as Ctrl-C sends. */
	public static final int SIGINT = 2;

	/** Quit, as Ctrl-\ sends; the child may dump core. */
	public static final int SIGQUIT = 3;

	/** Kill: cannot be caught or ignored ({@code kill()}). */
	public static final int SIGKILL = 9;

	/** Terminate: the polite request to stop ({@code terminate()}). */
	public static final int SIGTERM = 15;

	private Signals() {
	}

}
