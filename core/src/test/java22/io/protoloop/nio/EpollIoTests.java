package io.protoloop.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.LoopTransport;
import io.protoloop.protocol.Protocol;
import io.protoloop.testing.RecordingDatagramProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.udp.DatagramOptions;

import static io.protoloop.nio.LoopTesting.runForeverBounded;
import static io.protoloop.testing.RunningLoop.TIMEOUT;
import static io.protoloop.testing.RunningLoop.await;
import static io.protoloop.testing.RunningLoop.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The epoll half of a loop ({@link EpollIo}): waking, timers, native descriptors with their keys, and the
 * mixed mode where JDK channels make the loop wait in the JDK selector, woken by the bridge thread. Runs on
 * Linux with Java 22 or later and {@code --enable-native-access=ALL-UNNAMED}.
 */
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class EpollIoTests {

	private static LoopOptions epoll(String name) {
		return LoopOptions.named(name).withTransport(LoopTransport.EPOLL);
	}

	@Test
	void epollIsAvailableAndALoopAskedForItRunsOnIt() {
		assertThat(SelectorEventLoop.unavailableReason(LoopTransport.EPOLL)).isNull();
		SelectorEventLoop loop = new SelectorEventLoop(epoll("epoll-runs"));
		try {
			assertThat(loop.transport()).isEqualTo(LoopTransport.EPOLL);
			assertThat(loop.sockets()).isInstanceOf(EpollIo.class);
			AtomicInteger ran = new AtomicInteger();
			loop.callSoon(ran::incrementAndGet);
			loop.callSoon(loop::stop);

			runForeverBounded(loop);

			assertThat(ran).hasValue(1);
		}
		finally {
			loop.close();
		}
	}

	@Test
	void callSoonThreadsafeWakesALoopBlockedInEpollWithNoTimers() throws Exception {
		try (RunningLoop running = new RunningLoop(epoll("epoll-wake"))) {
			Thread loopThread = running.call(Thread::currentThread);
			for (int round = 0; round < 3; round++) {
				awaitBlockedIn(loopThread, Epoll.class.getName(), "await");
				CompletableFuture<Thread> ran = new CompletableFuture<>();
				running.loop().callSoonThreadsafe(() -> ran.complete(Thread.currentThread()));
				assertThat(await(ran)).isSameAs(loopThread);
			}
			assertThat(running.errors()).isEmpty();
		}
	}

	@Test
	void timersFire() throws Exception {
		try (RunningLoop running = new RunningLoop(epoll("epoll-timers"))) {
			SelectorEventLoop loop = running.loop();
			CompletableFuture<Long> fired = new CompletableFuture<>();
			long scheduled = running.call(() -> {
				long now = loop.time();
				loop.callLater(Duration.ofMillis(30), () -> fired.complete(loop.time()));
				return now;
			});
			assertThat(await(fired) - scheduled).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
		}
	}

	@Test
	void epollWaitRoundsTimeoutsUpToMilliseconds() {
		assertThat(Epoll.timeoutMillis(-1)).isEqualTo(-1);
		assertThat(Epoll.timeoutMillis(0)).isZero();
		assertThat(Epoll.timeoutMillis(1)).isEqualTo(1);
		assertThat(Epoll.timeoutMillis(999_999)).isEqualTo(1);
		assertThat(Epoll.timeoutMillis(1_000_000)).isEqualTo(1);
		assertThat(Epoll.timeoutMillis(1_000_001)).isEqualTo(2);
		assertThat(Epoll.timeoutMillis(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void aNativeDescriptorIsDispatchedWithTheOpsItWaitsFor() throws Exception {
		try (EventFd eventFd = new EventFd(); RunningLoop running = new RunningLoop(epoll("epoll-fd"))) {
			EpollIo io = (EpollIo) running.loop().sockets();
			CompletableFuture<Integer> ready = new CompletableFuture<>();
			running.run(() -> io.register(eventFd.fd, SelectionKey.OP_READ | SelectionKey.OP_WRITE, (ops) -> {
				eventFd.drain();
				ready.complete(ops);
			}));
			// An eventfd is always writable; readable once signalled.
			assertThat(await(ready)).isEqualTo(SelectionKey.OP_WRITE);

			CompletableFuture<Integer> readable = new CompletableFuture<>();
			Thread loopThread = running.call(() -> {
				io.register(eventFd.fd, SelectionKey.OP_READ, (ops) -> {
					eventFd.drain();
					readable.complete(ops);
				});
				return Thread.currentThread();
			});
			awaitBlockedIn(loopThread, Epoll.class.getName(), "await");
			eventFd.signal();
			assertThat(await(readable)).isEqualTo(SelectionKey.OP_READ);
			assertThat(running.errors()).isEmpty();
		}
	}

	@Test
	void interestOpsZeroAndCancelStopTheDispatchOfALevelTriggeredDescriptor() throws Exception {
		try (EventFd eventFd = new EventFd(); RunningLoop running = new RunningLoop(epoll("epoll-keys"))) {
			EpollIo io = (EpollIo) running.loop().sockets();
			eventFd.signal();
			AtomicInteger calls = new AtomicInteger();
			AtomicReference<PollKey> key = new AtomicReference<>();
			CompletableFuture<Void> first = new CompletableFuture<>();
			running.run(() -> key.set(io.register(eventFd.fd, SelectionKey.OP_READ, (ops) -> {
				calls.incrementAndGet();
				key.get().interestOps(0);
				first.complete(null);
			})));
			await(first);
			// Each round trip is a loop iteration, so a poll: still readable, but not waited for.
			for (int i = 0; i < 5; i++) {
				running.run(() -> {
				});
			}
			assertThat(calls).hasValue(1);
			assertThat(running.call(() -> key.get().isValid())).isTrue();

			CompletableFuture<Void> again = new CompletableFuture<>();
			running.run(() -> {
				key.get().interestOps(SelectionKey.OP_READ);
				PollKey same = io.register(eventFd.fd, SelectionKey.OP_READ, (ops) -> {
					calls.incrementAndGet();
					key.get().cancel();
					again.complete(null);
				});
				assertThat(same).isSameAs(key.get());
			});
			await(again);
			for (int i = 0; i < 5; i++) {
				running.run(() -> {
				});
			}
			assertThat(calls).hasValue(2);
			assertThat(running.call(() -> key.get().isValid())).isFalse();
			assertThat(running.errors()).isEmpty();
		}
	}

	@Test
	void readyOpsKeepOnlyTheInterestOpsAndErrorsReadyThemAll() {
		int read = SelectionKey.OP_READ;
		int write = SelectionKey.OP_WRITE;
		assertThat(EpollIo.readyOps(Epoll.EPOLLIN | Epoll.EPOLLOUT, read)).isEqualTo(read);
		assertThat(EpollIo.readyOps(Epoll.EPOLLOUT, SelectionKey.OP_CONNECT)).isEqualTo(SelectionKey.OP_CONNECT);
		assertThat(EpollIo.readyOps(Epoll.EPOLLIN, SelectionKey.OP_ACCEPT)).isEqualTo(SelectionKey.OP_ACCEPT);
		assertThat(EpollIo.readyOps(Epoll.EPOLLOUT, read)).isZero();
		assertThat(EpollIo.readyOps(Epoll.EPOLLHUP, read | write)).isEqualTo(read | write);
		assertThat(EpollIo.readyOps(Epoll.EPOLLERR, write)).isEqualTo(write);
		assertThat(EpollIo.epollEvents(SelectionKey.OP_ACCEPT)).isEqualTo(Epoll.EPOLLIN);
		assertThat(EpollIo.epollEvents(read | SelectionKey.OP_CONNECT)).isEqualTo(Epoll.EPOLLIN | Epoll.EPOLLOUT);
		assertThat(EpollIo.epollEvents(0)).isZero();
	}

	/**
	 * With a pipe on the JDK selector, the loop waits there; a native descriptor and a thread-safe callback
	 * still wake it, through the bridge thread, and the pipe's data still arrives.
	 */
	@Test
	void mixedModeServesJdkChannelsAndNativeDescriptors() throws Exception {
		Pipe pipe = Pipe.open();
		try (EventFd eventFd = new EventFd(); RunningLoop running = new RunningLoop(epoll("epoll-mixed"))) {
			SelectorEventLoop loop = running.loop();
			EpollIo io = (EpollIo) loop.sockets();
			StringBuffer received = new StringBuffer();
			CompletableFuture<Void> hello = new CompletableFuture<>();
			await(loop.connectReadPipe(() -> (Protocol) (data) -> {
				received.append(StandardCharsets.UTF_8.decode(data));
				if (received.toString().equals("hello")) {
					hello.complete(null);
				}
			}, pipe.source()));
			AtomicInteger signals = new AtomicInteger();
			AtomicReference<CompletableFuture<Void>> signalled = new AtomicReference<>(new CompletableFuture<>());
			Thread loopThread = running.call(() -> {
				io.register(eventFd.fd, SelectionKey.OP_READ, (ops) -> {
					eventFd.drain();
					signals.incrementAndGet();
					signalled.get().complete(null);
				});
				return Thread.currentThread();
			});

			for (int round = 1; round <= 3; round++) {
				awaitBlockedIn(loopThread, "sun.nio.ch.", "doSelect");
				signalled.set(new CompletableFuture<>());
				eventFd.signal();
				await(signalled.get());
				assertThat(signals).hasValue(round);

				awaitBlockedIn(loopThread, "sun.nio.ch.", "doSelect");
				CompletableFuture<Void> ran = new CompletableFuture<>();
				loop.callSoonThreadsafe(() -> ran.complete(null));
				await(ran);
			}
			assertThat(bridgeThreads()).containsExactly(loop.name() + "-epoll-bridge");

			awaitBlockedIn(loopThread, "sun.nio.ch.", "doSelect");
			pipe.sink().write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
			await(hello);
			assertThat(running.errors()).isEmpty();
		}
		finally {
			pipe.sink().close();
			pipe.source().close();
		}
		assertThat(bridgeThreads()).isEmpty();
	}

	/**
	 * UDP endpoints are native sockets in the epoll set: a loop serving them never opens a JDK channel, so it waits
	 * in {@code epoll_wait} alone, with no bridge thread (a datagram costs no selector calls).
	 */
	@Test
	void udpEndpointsKeepTheLoopOutOfMixedMode() throws Exception {
		try (RunningLoop running = new RunningLoop(epoll("epoll-udp"))) {
			SelectorEventLoop loop = running.loop();
			var server = await(loop.createDatagramEndpoint(EchoDatagrams::new,
					DatagramOptions.builder().localAddress("127.0.0.1", 0).build()));
			SocketAddress serverAddress = (SocketAddress) server.transport().getExtraInfo(ExtraInfo.SOCKNAME);
			var client = await(loop.createDatagramEndpoint(RecordingDatagramProtocol::new,
					DatagramOptions.builder().remoteAddress(serverAddress).build()));
			Thread loopThread = running.call(Thread::currentThread);

			for (int round = 1; round <= 3; round++) {
				awaitBlockedIn(loopThread, Epoll.class.getName(), "await");
				byte[] data = { (byte) round };
				running.run(() -> client.transport().sendto(ByteBuffer.wrap(data)));
				assertThat(client.protocol().next().data()).containsExactly(data);
			}
			assertThat(running.call(() -> server.transport().getExtraInfo(ExtraInfo.SOCKET)))
				.isInstanceOf(NativeDatagramSocket.class);
			assertThat(running.call(() -> client.transport().getExtraInfo(ExtraInfo.SOCKET)))
				.isInstanceOf(NativeDatagramSocket.class);
			assertThat(running.call(loop::hasJdkChannels)).isFalse();
			assertThat(bridgeThreads()).isEmpty();
			assertThat(running.errors()).isEmpty();
		}
	}

	/** Echoes every datagram to its sender. */
	private static final class EchoDatagrams extends RecordingDatagramProtocol {

		@Override
		public void datagramReceived(ByteBuffer data, SocketAddress addr) {
			transport().sendto(data.duplicate(), addr);
			super.datagramReceived(data, addr);
		}

	}

	@Test
	void aLoopThatNeverRanClosesFromAnotherThreadInvalidatesItsKeysAndIgnoresLaterWakeups() throws Exception {
		try (EventFd eventFd = new EventFd()) {
			SelectorEventLoop loop = new SelectorEventLoop(epoll("epoll-never-ran"));
			PollKey key = ((EpollIo) loop.sockets()).register(eventFd.fd, SelectionKey.OP_READ, (ops) -> {
			});
			assertThat(key.isValid()).isTrue();

			loop.close();
			loop.stop();

			assertThat(loop.isClosed()).isTrue();
			assertThat(key.isValid()).isFalse();
			assertThatThrownBy(() -> key.interestOps(SelectionKey.OP_WRITE)).isInstanceOf(CancelledKeyException.class);
			key.cancel();
			assertThat(bridgeThreads()).isEmpty();
		}
	}

	/** The names of the live bridge threads of this class's loops. */
	private static String[] bridgeThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith("epoll-") && name.endsWith("-epoll-bridge"))
			.toArray(String[]::new);
	}

	/**
	 * Waits until {@code thread} runs {@code method} of a class whose name starts with {@code classPrefix} (a
	 * wait in native code), at most {@link RunningLoop#TIMEOUT}.
	 */
	private static void awaitBlockedIn(Thread thread, String classPrefix, String method) throws InterruptedException {
		awaitCondition(() -> Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> frame.getClassName().startsWith(classPrefix) && frame.getMethodName().equals(method)),
				() -> "thread '" + thread.getName() + "' never waited in " + classPrefix + "*." + method + " within "
						+ TIMEOUT + ": " + Arrays.toString(thread.getStackTrace()));
	}

	/** An eventfd the test signals from its thread and the loop drains: a native descriptor of its own. */
	private static final class EventFd implements AutoCloseable {

		final int fd = Epoll.eventfd();

		private final Arena arena = Arena.ofShared();

		private final MemorySegment scratch = this.arena.allocate(8, 8);

		EventFd() throws IOException {
		}

		void signal() {
			assertThat(Epoll.signal(this.fd)).isZero();
		}

		void drain() {
			try {
				Epoll.drain(this.fd, this.scratch);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public void close() throws IOException {
			try {
				Libc.close(this.fd);
			}
			finally {
				this.arena.close();
			}
		}

	}

}
