package io.protoloop.nio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.LoopOptions;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RecordingSubprocessProtocol;

import static io.protoloop.nio.LoopTesting.TIMEOUT;
import static io.protoloop.nio.LoopTesting.await;
import static io.protoloop.nio.LoopTesting.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Groups of loops: a thread per loop, round-robin {@code next()}, and closing every loop. */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class EventLoopGroupTests {

	private final List<EventLoopGroup> groups = new ArrayList<>();

	@AfterEach
	void closeGroups() {
		this.groups.forEach(EventLoopGroup::close);
	}

	@Test
	void eachLoopRunsOnItsOwnThreadNamedAfterThePrefix() throws Exception {
		EventLoopGroup group = group(3, LoopOptions.named("worker"));

		List<String> names = new ArrayList<>();
		Set<Thread> threads = new HashSet<>();
		for (EventLoop loop : group.loops()) {
			Thread thread = await(loop.submit(Thread::currentThread));
			names.add(loop.name());
			threads.add(thread);
			assertThat(thread.getName()).isEqualTo(loop.name());
			assertThat(loop.isRunning()).isTrue();
		}

		assertThat(names).containsExactly("worker-0", "worker-1", "worker-2");
		assertThat(threads).hasSize(3).doesNotContain(Thread.currentThread());
	}

	@Test
	void everyLoopIsRunningWhenTheConstructorReturns() {
		// Repeated: the window in which a loop had not started yet was short.
		for (int i = 0; i < 20; i++) {
			EventLoopGroup group = group(2, LoopOptions.named("started-" + i));

			assertThat(group.loops()).allSatisfy((loop) -> {
				assertThat(loop.isRunning()).isTrue();
				// Not yet running, the loop would accept this from any thread, racing with its own thread.
				assertThatThrownBy(() -> loop.callSoon(() -> {
				})).isInstanceOf(IllegalStateException.class);
				assertThatThrownBy(loop::close).isInstanceOf(IllegalStateException.class);
			});
		}
	}

	@Test
	void nextIsRoundRobin() {
		EventLoopGroup group = group(3, LoopOptions.named("round"));
		List<EventLoop> loops = group.loops();

		List<EventLoop> handedOut = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			handedOut.add(group.next());
		}

		assertThat(handedOut).containsExactly(loops.get(0), loops.get(1), loops.get(2), loops.get(0), loops.get(1),
				loops.get(2), loops.get(0));
	}

	@Test
	void nextFromManyThreadsSpreadsEvenly() throws Exception {
		EventLoopGroup group = group(3, LoopOptions.named("spread"));
		Map<EventLoop, AtomicInteger> counts = new ConcurrentHashMap<>();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> callers = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			Thread thread = new Thread(() -> {
				try {
					if (start.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
						for (int i = 0; i < 3_000; i++) {
							counts.computeIfAbsent(group.next(), (loop) -> new AtomicInteger()).incrementAndGet();
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			thread.start();
			callers.add(thread);
		}

		start.countDown();
		for (Thread thread : callers) {
			join(thread);
		}

		assertThat(counts).hasSize(3);
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count).hasValue(4_000));
	}

	@Test
	void closeStopsAndClosesEveryLoopAndEndsTheirThreads() throws Exception {
		EventLoopGroup group = group(3, LoopOptions.named("closing"));
		List<Thread> threads = new ArrayList<>();
		for (EventLoop loop : group.loops()) {
			threads.add(await(loop.submit(Thread::currentThread)));
		}

		group.close();

		assertThat(group.loops()).allSatisfy((loop) -> {
			assertThat(loop.isClosed()).isTrue();
			assertThat(loop.isRunning()).isFalse();
		});
		assertThat(threads).allSatisfy((thread) -> assertThat(thread.isAlive()).isFalse());
	}

	@Test
	void closeIsIdempotent() {
		EventLoopGroup group = group(2, LoopOptions.named("twice"));

		group.close();
		assertThatCode(group::close).doesNotThrowAnyException();

		assertThat(group.loops()).allSatisfy((loop) -> assertThat(loop.isClosed()).isTrue());
	}

	@Test
	void closeRightAfterCreationStillClosesEveryLoop() {
		EventLoopGroup group = group(4, LoopOptions.named("short-lived"));

		group.close();

		assertThat(group.loops()).allSatisfy((loop) -> assertThat(loop.isClosed()).isTrue());
	}

	@Test
	void closeFromOneOfTheGroupsOwnLoopsDoesNotWaitForItself() throws Exception {
		EventLoopGroup group = group(2, LoopOptions.named("self-close"));
		EventLoop first = group.loops().get(0);
		Thread firstThread = await(first.submit(Thread::currentThread));

		await(first.submit(() -> {
			group.close();
			return null;
		}));

		join(firstThread);
		assertThat(group.loops()).allSatisfy((loop) -> assertThat(loop.isClosed()).isTrue());
	}

	@Test
	void aGroupOfOneRunsEverythingOnOneThread() throws Exception {
		EventLoopGroup group = group(1, LoopOptions.named("single"));
		EventLoop only = group.loops().get(0);

		Set<Thread> threads = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			EventLoop next = group.next();
			assertThat(next).isSameAs(only);
			threads.add(await(next.submit(Thread::currentThread)));
		}

		assertThat(threads).hasSize(1);
		assertThat(threads.iterator().next().getName()).isEqualTo("single-0");
	}

	@Test
	void everyLoopGetsTheGroupsOptions() {
		EventLoopGroup group = group(2, LoopOptions.named("debugging").withDebug(true)
			.withSlowCallbackDuration(Duration.ofMillis(3)));

		assertThat(group.loops()).allSatisfy((loop) -> {
			assertThat(loop.isDebug()).isTrue();
			assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofMillis(3));
		});
	}

	@Test
	void theLoopsListCannotBeChanged() {
		EventLoopGroup group = group(1, LoopOptions.named("fixed"));

		assertThatThrownBy(() -> group.loops().remove(0))
			.isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void aGroupNeedsAtLeastOneLoop() {
		assertThatThrownBy(() -> new EventLoopGroup(0, LoopOptions.named("empty")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("at least one");
		assertThatThrownBy(() -> new EventLoopGroup(-1, LoopOptions.named("negative")))
			.isInstanceOf(IllegalArgumentException.class);
	}

	private EventLoopGroup group(int size, LoopOptions options) {
		EventLoopGroup group = new EventLoopGroup(size, options);
		this.groups.add(group);
		return group;
	}

	@Test
	void childProcessesAndPipesAreSpreadOverTheLoopsAndRunOnTheirLoop() throws Exception {
		EventLoopGroup group = group(2, LoopOptions.named("spread"));

		var first = await(group.subprocessExec(RecordingSubprocessProtocol::new, "sh", "-c", "echo one"));
		var second = await(group.subprocessExec(RecordingSubprocessProtocol::new, "sh", "-c", "echo two"));
		java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
		RecordingProtocol reader = new RecordingProtocol();
		var read = await(group.connectReadPipe(() -> reader, pipe.source()));
		pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] { 42 }));
		pipe.sink().close();

		assertThat(first.transport().getLoop()).isNotSameAs(second.transport().getLoop());
		assertThat(group.loops()).contains(read.transport().getLoop());
		await(first.protocol().lost);
		await(second.protocol().lost);
		assertThat(first.protocol().text(1) + second.protocol().text(1)).isEqualTo("one\ntwo\n");
		await(reader.lost);
		assertThat(reader.received()).containsExactly(42);
	}

}
