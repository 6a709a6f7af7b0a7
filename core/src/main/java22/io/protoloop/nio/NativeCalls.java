package io.protoloop.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * What every native call of this package shares: the C library's symbols, downcall handles that capture
 * {@code errno}, and the exception an {@code errno} becomes. A handle's first argument is the segment that
 * receives {@code errno}: each thread passes its own, from {@link #errnoSegment()}.
 */
@SuppressWarnings("restricted") // the point of this class: it is the one place that links C functions
final class NativeCalls {

	private static final Linker LINKER = Linker.nativeLinker();

	private static final SymbolLookup LIBC = LINKER.defaultLookup();

	private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

	private static final VarHandle ERRNO = CAPTURE_LAYOUT
		.varHandle(MemoryLayout.PathElement.groupElement("errno"));

	private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"),
			FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(
					MemoryLayout.sequenceLayout(1024, ValueLayout.JAVA_BYTE)), ValueLayout.JAVA_INT));

	/** Each thread's errno capture area: loop threads, and threads that open sockets before a loop runs. */
	private static final ThreadLocal<MemorySegment> ERRNO_SEGMENT = ThreadLocal
		.withInitial(() -> Arena.global().allocate(CAPTURE_LAYOUT));

	static final int EAGAIN = 11;

	static final int EINTR = 4;

	static final int EINPROGRESS = 115;

	private NativeCalls() {
	}

	/**
	 * {@return a handle on the C library's {@code name} that captures {@code errno}}
	 * @param name the C function
	 * @param descriptor its signature, without the capture segment
	 * @param critical whether the call is short and never blocks, so it may skip the thread-state change
	 * ({@link Linker.Option#critical})
	 */
	static MethodHandle downcall(String name, FunctionDescriptor descriptor, boolean critical) {
		Linker.Option capture = Linker.Option.captureCallState("errno");
		return critical ? LINKER.downcallHandle(find(name), descriptor, capture, Linker.Option.critical(true))
				: LINKER.downcallHandle(find(name), descriptor, capture);
	}

	private static MemorySegment find(String name) {
		return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("No " + name + " in the C library"));
	}

	/** {@return this thread's errno capture segment, the first argument of every handle from {@link #downcall}} */
	static MemorySegment errnoSegment() {
		return ERRNO_SEGMENT.get();
	}

	/**
	 * {@return the {@code errno} the last call captured in {@code capture}}
	 * @param capture the segment passed to the call
	 */
	static int errno(MemorySegment capture) {
		return (int) ERRNO.get(capture, 0L);
	}

	/**
	 * {@return an exception for a failed call, with the C library's message, as the JDK words its own}
	 * @param errno the call's {@code errno}
	 */
	static IOException error(int errno) {
		return new IOException(message(errno));
	}

	/**
	 * {@return the C library's text for {@code errno}: "Connection reset by peer", say}
	 * @param errno the error number
	 */
	static String message(int errno) {
		try {
			MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
			return text.getString(0);
		}
		catch (Throwable ex) {
			return "errno " + errno;
		}
	}

	/**
	 * {@return what to throw when a downcall threw: only a mismatch between a handle and its call, or an error of
	 * the JVM, can do that, never an I/O error}
	 * @param ex what the call threw
	 */
	static RuntimeException linkFailure(Throwable ex) {
		if (ex instanceof Error error) {
			throw error;
		}
		if (ex instanceof RuntimeException runtime) {
			return runtime;
		}
		return new IllegalStateException("Native call failed", ex);
	}

	/**
	 * {@return the non-negative result of a call of {@code int} arguments that returns an {@code int}, such as
	 * {@code listen} or {@code epoll_create1}}
	 * @param handle a handle from {@link #downcall}
	 * @param arguments the call's arguments, after the capture segment: one, two or three {@code int}s
	 * @throws IOException with the C library's text when the call returns a negative value
	 */
	static int check(MethodHandle handle, int... arguments) throws IOException {
		MemorySegment errno = errnoSegment();
		int result;
		try {
			result = switch (arguments.length) {
				case 1 -> (int) handle.invokeExact(errno, arguments[0]);
				case 2 -> (int) handle.invokeExact(errno, arguments[0], arguments[1]);
				case 3 -> (int) handle.invokeExact(errno, arguments[0], arguments[1], arguments[2]);
				default -> throw new IllegalArgumentException(arguments.length + " arguments");
			};
		}
		catch (Throwable ex) {
			throw linkFailure(ex);
		}
		if (result < 0) {
			throw error(errno(errno));
		}
		return result;
	}

}
