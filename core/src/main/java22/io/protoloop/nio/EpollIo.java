package io.protoloop.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import io.protoloop.udp.DatagramOptions;

/**
 * The native half of one {@link SelectorEventLoop}: an epoll set of the loop's native descriptors,
 * level-triggered like {@code java.nio}, and an eventfd in it that {@link #wakeup()} writes. While the loop
 * also has JDK channels it waits in the JDK selector, and a bridge thread wakes that selector when the epoll
 * set becomes ready.
 */
final class EpollIo implements NativeIo {

	private static final System.Logger logger = System.getLogger(EpollIo.class.getName());

	/** Most events one {@code epoll_wait} returns; more stay ready for the next. */
	private static final int MAX_EVENTS = 1024;

	/** How long {@link #close()} waits for the bridge thread to end. */
	private static final long BRIDGE_JOIN_MILLIS = 5_000;

	private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;

	private static final int WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

	private final SelectorEventLoop loop;

	/** Owns the native memory below; closed by {@link #close()}, possibly on another thread than the loop's. */
	private final Arena arena = Arena.ofShared();

	private final int epfd;

	/** Written by {@link #wakeup()}; in the epoll set, so a wakeup also makes the set ready for the bridge. */
	private final int wakeupFd;

	private final MemorySegment events;

	/** The {@code struct epoll_event} that {@code epoll_ctl} reads. Loop thread only. */
	private final MemorySegment ctlEvent;

	/** Where the wakeup eventfd's counter is read to reset it. Loop thread only. */
	private final MemorySegment drainScratch;

	/** The registrations, indexed by descriptor; grown as needed. Loop thread only. */
	private EpollKey[] keys = new EpollKey[1024];

	/** Guards {@link #wakeupFd} against being written after {@link #close()} closed it (and reused). */
	private final Object wakeupLock = new Object();

	/** Set by {@link #close()}, which may run on another thread than the loop's if the loop never ran. */
	private volatile boolean closed;

	/** Started on the first poll that waits in the JDK selector; read by {@link #close()}. */
	private volatile Bridge bridge;

	/**
	 * Opens the epoll set and the wakeup eventfd of {@code loop}.
	 * @param loop the loop whose handlers readiness is dispatched to
	 * @throws IOException if the kernel refuses either
	 */
	EpollIo(SelectorEventLoop loop) throws IOException {
		this.loop = loop;
		int epoll = -1;
		int wakeup = -1;
		try {
			epoll = Epoll.create();
			wakeup = Epoll.eventfd();
			this.events = this.arena.allocate(Epoll.EVENT_SIZE * MAX_EVENTS, 8);
			this.ctlEvent = this.arena.allocate(Epoll.EVENT_SIZE, 8);
			this.drainScratch = this.arena.allocate(8, 8);
			checkCtl(Epoll.ctl(epoll, Epoll.CTL_ADD, wakeup, Epoll.EPOLLIN, this.ctlEvent));
		}
		catch (IOException | RuntimeException | Error ex) {
			closeQuietly(wakeup);
			closeQuietly(epoll);
			this.arena.close();
			throw ex;
		}
		this.epfd = epoll;
		this.wakeupFd = wakeup;
	}

	// ---------------------------------------------------------------- sockets

	@Override
	public ListenSocket listen(SocketAddress address, int backlog, boolean reuseAddress, boolean reusePort)
			throws IOException {
		return NativeListenSocket.listen(address, backlog, reuseAddress, reusePort);
	}

	@Override
	public StreamSocket open(SocketAddress remote, SocketAddress local) throws IOException {
		return NativeStreamSocket.open(remote, local);
	}

	/** Unix domain datagram sockets stay with the JDK, which says whether it has them (JDK 17 to 25 do not). */
	@Override
	public DatagramSocket openDatagram(DatagramOptions options) throws IOException {
		ProtocolFamily family = DatagramSocket.family(options);
		return (family == StandardProtocolFamily.UNIX) ? NioSockets.INSTANCE.openDatagram(options)
				: NativeDatagramSocket.open(options, family);
	}

	/**
	 * Waits for {@code ops} on {@code fd} and calls {@code handler} when they are ready; registering a descriptor
	 * again replaces its handler and operations, and returns the same key. Loop thread only.
	 * @param fd the descriptor, non-blocking
	 * @param ops the {@code SelectionKey} operations to wait for at first
	 * @param handler what readiness calls
	 * @return the registration
	 * @throws IOException if epoll refuses the descriptor (closed, say)
	 */
	PollKey register(int fd, int ops, SelectorHandler handler) throws IOException {
		assert this.loop.inEventLoop() || !this.loop.isRunning() : "register() off the loop thread";
		if (this.closed) {
			throw new IOException("Event loop '" + this.loop.name() + "' is closed");
		}
		if (fd < 0) {
			throw new IOException("Cannot register descriptor " + fd);
		}
		if (fd >= this.keys.length) {
			this.keys = Arrays.copyOf(this.keys, Math.max(fd + 1, this.keys.length * 2));
		}
		EpollKey key = this.keys[fd];
		if (key == null) {
			key = new EpollKey(fd, handler);
			key.update(ops);
			this.keys[fd] = key;
		}
		else {
			key.update(ops);
			key.handler = handler;
		}
		return key;
	}

	// ---------------------------------------------------------------- waiting

	@Override
	public void poll(long timeoutNanos) throws IOException {
		if (!this.loop.hasJdkChannels()) {
			dispatch(Epoll.await(this.epfd, this.events, MAX_EVENTS, Epoll.timeoutMillis(timeoutNanos)));
			return;
		}
		// Mixed: take what epoll has now, then wait in the JDK selector, which the bridge wakes for epoll.
		int ready = Epoll.await(this.epfd, this.events, MAX_EVENTS, 0);
		dispatch(ready);
		if (ready > 0 || timeoutNanos == 0) {
			// The handlers just run may have scheduled callbacks: look at the JDK channels, do not wait.
			this.loop.selectJdk(0);
			return;
		}
		Bridge armed = this.bridge;
		if (armed == null) {
			armed = new Bridge(this.loop.name() + "-epoll-bridge");
			this.bridge = armed;
		}
		armed.arm();
		this.loop.selectJdk(timeoutNanos);
	}

	/** Runs the handlers of the first {@code count} events; a wakeup only resets the eventfd. */
	private void dispatch(int count) throws IOException {
		for (int i = 0; i < count; i++) {
			int fd = Epoll.fd(this.events, i);
			if (fd == this.wakeupFd) {
				Epoll.drain(this.wakeupFd, this.drainScratch);
				continue;
			}
			// Cancelled by an earlier handler of this batch: its events are stale.
			EpollKey key = (fd < this.keys.length) ? this.keys[fd] : null;
			if (key == null) {
				continue;
			}
			int readyOps = readyOps(Epoll.events(this.events, i), key.ops);
			if (readyOps != 0) {
				this.loop.dispatch(key.handler, readyOps);
			}
		}
	}

	/**
	 * {@return the {@code SelectionKey} operations that {@code epollEvents} make ready among {@code interestOps}:
	 * an error or hang-up readies all of them, as in the JDK, so the handler's next call sees it}
	 * @param epollEvents what epoll reported
	 * @param interestOps what the handler waits for
	 */
	static int readyOps(int epollEvents, int interestOps) {
		if ((epollEvents & (Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0) {
			return interestOps;
		}
		int ready = 0;
		if ((epollEvents & Epoll.EPOLLIN) != 0) {
			ready |= READ_OPS;
		}
		if ((epollEvents & Epoll.EPOLLOUT) != 0) {
			ready |= WRITE_OPS;
		}
		return ready & interestOps;
	}

	/**
	 * {@return the epoll events that wait for the {@code SelectionKey} operations {@code ops}}
	 * @param ops {@code SelectionKey} operation bits
	 */
	static int epollEvents(int ops) {
		int events = 0;
		if ((ops & READ_OPS) != 0) {
			events |= Epoll.EPOLLIN;
		}
		if ((ops & WRITE_OPS) != 0) {
			events |= Epoll.EPOLLOUT;
		}
		return events;
	}

	@Override
	public void wakeup() {
		synchronized (this.wakeupLock) {
			if (this.closed) {
				return;
			}
			int error = Epoll.signal(this.wakeupFd);
			if (error != 0) {
				logger.log(Level.WARNING, "Could not wake up event loop '" + this.loop.name() + "': "
						+ NativeCalls.message(error));
			}
		}
	}

	/**
	 * {@inheritDoc} Invalidates every key, as a closed selector does ({@code interestOps} then throws
	 * {@link CancelledKeyException}), stops the bridge, and closes the descriptors and native memory. Any thread,
	 * once the loop no longer runs.
	 */
	@Override
	public void close() {
		synchronized (this.wakeupLock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		for (EpollKey key : this.keys) {
			if (key != null) {
				key.valid = false;
			}
		}
		Arrays.fill(this.keys, null);
		Bridge bridge = this.bridge;
		if (bridge != null) {
			if (!bridge.stop()) {
				// Its descriptors and memory must outlive it: a descriptor closed under poll(2) may be reused.
				logger.log(Level.WARNING, "The epoll bridge of event loop '" + this.loop.name()
						+ "' did not end; its descriptors are left open");
				return;
			}
			bridge.release();
		}
		closeQuietly(this.wakeupFd);
		closeQuietly(this.epfd);
		this.arena.close();
	}

	private static void closeQuietly(int fd) {
		if (fd >= 0) {
			try {
				Libc.close(fd);
			}
			catch (IOException ex) {
				logger.log(Level.DEBUG, "Error closing descriptor " + fd, ex);
			}
		}
	}

	/** Throws the exception of a failed {@code epoll_ctl}, if it failed. */
	private static void checkCtl(int errno) throws IOException {
		if (errno != 0) {
			throw NativeCalls.error(errno);
		}
	}

	/**
	 * A descriptor's entry in the epoll set. With no operations the descriptor leaves the kernel's set (as the
	 * JDK's selector does), or a hang-up, which epoll always reports, would make every wait return at once.
	 */
	private final class EpollKey implements PollKey {

		private final int fd;

		SelectorHandler handler;

		/** The {@code SelectionKey} operations waited for. */
		int ops;

		/** The epoll events the kernel has for the descriptor; 0 when it is not in the set. */
		private int registered;

		/** Cleared by {@link #cancel()}, and for every key by {@link EpollIo#close()}. */
		private boolean valid = true;

		EpollKey(int fd, SelectorHandler handler) {
			this.fd = fd;
			this.handler = handler;
		}

		/** Sets the operations and brings the kernel's set in line; the key is unchanged if epoll refuses. */
		void update(int newOps) throws IOException {
			int wanted = epollEvents(newOps);
			if (wanted != this.registered) {
				int errno;
				if (wanted == 0) {
					errno = delete();
				}
				else if (this.registered == 0) {
					errno = Epoll.ctl(EpollIo.this.epfd, Epoll.CTL_ADD, this.fd, wanted, EpollIo.this.ctlEvent);
					if (errno == Epoll.EEXIST) {
						errno = Epoll.ctl(EpollIo.this.epfd, Epoll.CTL_MOD, this.fd, wanted, EpollIo.this.ctlEvent);
					}
				}
				else {
					errno = Epoll.ctl(EpollIo.this.epfd, Epoll.CTL_MOD, this.fd, wanted, EpollIo.this.ctlEvent);
					if (errno == Epoll.ENOENT) {
						// The descriptor was closed and its number reused: the kernel forgot the old one.
						errno = Epoll.ctl(EpollIo.this.epfd, Epoll.CTL_ADD, this.fd, wanted, EpollIo.this.ctlEvent);
					}
				}
				checkCtl(errno);
				this.registered = wanted;
			}
			this.ops = newOps;
		}

		/** Removes the descriptor from the kernel's set; one already gone (closed) is not an error. */
		private int delete() {
			int errno = Epoll.ctl(EpollIo.this.epfd, Epoll.CTL_DEL, this.fd, 0, EpollIo.this.ctlEvent);
			return (errno == Epoll.ENOENT || errno == Epoll.EBADF) ? 0 : errno;
		}

		@Override
		public void interestOps(int newOps) {
			if (!this.valid) {
				throw new CancelledKeyException();
			}
			if (newOps == this.ops) {
				return;
			}
			try {
				update(newOps);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public boolean isValid() {
			return this.valid;
		}

		@Override
		public void cancel() {
			if (!this.valid) {
				return;
			}
			this.valid = false;
			if (EpollIo.this.keys[this.fd] == this) {
				EpollIo.this.keys[this.fd] = null;
			}
			if (this.registered != 0) {
				this.registered = 0;
				int errno = delete();
				if (errno != 0) {
					logger.log(Level.DEBUG, "Error removing descriptor " + this.fd + " from epoll: "
							+ NativeCalls.message(errno));
				}
			}
		}

	}

	/**
	 * The thread that wakes the loop's JDK selector when the epoll set becomes ready, while the loop waits in
	 * that selector. The loop arms it before each such wait; it then waits in {@code poll(2)} for the epoll
	 * descriptor (or its stop eventfd), wakes the selector once and waits to be armed again.
	 */
	private final class Bridge implements Runnable {

		private final Thread thread;

		private final Semaphore armings = new Semaphore(0);

		/** Set by the loop when it releases a permit, cleared by the bridge when it fires. */
		private final AtomicBoolean armed = new AtomicBoolean();

		private final int stopFd;

		/** Two {@code struct pollfd}: the epoll descriptor, then the stop eventfd. */
		private final MemorySegment pollfds;

		Bridge(String name) throws IOException {
			this.stopFd = Epoll.eventfd();
			this.pollfds = EpollIo.this.arena.allocate(2 * Epoll.POLLFD_SIZE, 8);
			this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this);
			this.thread.start();
		}

		/** Lets the bridge wait for the epoll set once more, unless it already does. Loop thread. */
		void arm() {
			if (this.armed.compareAndSet(false, true)) {
				this.armings.release();
			}
		}

		@Override
		public void run() {
			try {
				while (true) {
					this.armings.acquireUninterruptibly();
					Epoll.pollIn(this.pollfds, 0, EpollIo.this.epfd);
					Epoll.pollIn(this.pollfds, 1, this.stopFd);
					while (Epoll.poll(this.pollfds, 2, -1) == 0) {
						// A signal interrupted the wait: wait again.
					}
					if (Epoll.revents(this.pollfds, 1) != 0) {
						return;
					}
					this.armed.set(false);
					EpollIo.this.loop.wakeupSelector();
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.log(Level.ERROR, "The epoll bridge of event loop '" + EpollIo.this.loop.name()
						+ "' failed; native sockets wait until a JDK channel is ready", ex);
			}
		}

		/**
		 * Ends the thread and waits for it.
		 * @return {@code true} if it ended in time
		 */
		boolean stop() {
			int error = Epoll.signal(this.stopFd);
			if (error != 0) {
				logger.log(Level.WARNING, "Could not stop the epoll bridge: " + NativeCalls.message(error));
			}
			this.armings.release();
			try {
				this.thread.join(BRIDGE_JOIN_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return !this.thread.isAlive();
		}

		/** Closes the stop eventfd, once the thread has ended. */
		void release() {
			closeQuietly(this.stopFd);
		}

	}

}
