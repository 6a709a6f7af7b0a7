package io.protoloop.boot.autoconfigure;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.Client;
import io.protoloop.boot.autoconfigure.TestProtocols.EchoProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.Greeting;
import io.protoloop.loop.EventLoop;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

import static io.protoloop.boot.autoconfigure.ProtoloopAutoConfigurationTests.port;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code protoloopExecutor} bean behind {@code runInExecutor(null, ...)}: which threads it runs on, that an
 * application replaces it, that it leaves Boot's own task executor alone and is closed with the context, and that
 * a protocol calling a blocking repository through it leaves the loop free for other connections.
 */
@Timeout(60)
class ProtoloopExecutorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class));

	@Test
	void blockingWorkRunsOnTheExecutorBeanWhichFollowsSpringThreadsVirtualEnabledAndClosesWithTheContext() {
		boolean virtualThreadsAvailable = Runtime.version().feature() >= 21;
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			Object executor = context.getBean(ProtoloopExecutorConfiguration.BEAN_NAME);
			EventLoop loop = context.getBean(EventLoopGroup.class).next();

			Thread ranOn = loop.runInExecutor(null, Thread::currentThread).get(10, TimeUnit.SECONDS);

			assertThat(ranOn.getName()).startsWith(ProtoloopExecutorConfiguration.THREAD_NAME_PREFIX);
			if (virtualThreadsAvailable) {
				assertThat(executor).isInstanceOf(SimpleAsyncTaskExecutor.class);
				// Thread.isVirtual() is Java 21 API; this module compiles for 17.
				assertThat(Thread.class.getMethod("isVirtual").invoke(ranOn)).as("a virtual thread").isEqualTo(true);
			}
			else {
				// Java 17: Boot's Threading.VIRTUAL is not active, so the platform pool stands in.
				assertThat(executor).isInstanceOf(ThreadPoolTaskExecutor.class);
			}
		});
		this.runner.withPropertyValues("spring.threads.virtual.enabled=false").run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean(ProtoloopExecutorConfiguration.BEAN_NAME,
					ThreadPoolTaskExecutor.class);
			assertThat(executor.getMaxPoolSize())
				.isEqualTo(Math.min(32, Runtime.getRuntime().availableProcessors() + 4));
			context.close();
			assertThat(executor.getThreadPoolExecutor().isShutdown()).as("closed with the context").isTrue();
		});
	}

	@Test
	void anApplicationExecutorNamedProtoloopExecutorReplacesIt() {
		this.runner.withUserConfiguration(OwnExecutor.class).run((context) -> {
			EventLoop loop = context.getBean(EventLoopGroup.class).next();

			Thread ranOn = loop.runInExecutor(null, Thread::currentThread).get(10, TimeUnit.SECONDS);

			assertThat(ranOn.getName()).isEqualTo("own-executor");
			assertThat(context.getBean(ProtoloopExecutorConfiguration.BEAN_NAME)).isInstanceOf(ExecutorService.class);
		});
	}

	@Test
	void bootsApplicationTaskExecutorStaysTheOneExecutorInjectedByType() {
		this.runner.withBean(ExecutorUser.class).run((context) -> {
			assertThat(context).hasNotFailed().hasBean("applicationTaskExecutor").hasBean("protoloopExecutor");
			assertThat(context.getBean(ExecutorUser.class).executor)
				.isSameAs(context.getBean("applicationTaskExecutor"));
		});
	}

	@Test
	void aProtocolCallingABlockingRepositoryLeavesTheLoopFreeForOtherConnections() {
		BlockingRepository repository = new BlockingRepository(3);
		this.runner.withBean(BlockingRepository.class, () -> repository)
			.withBean(Greeting.class, () -> new Greeting("hello"))
			.withUserConfiguration(LookupProtocol.class, EchoProtocol.class)
			// One loop, so the echo connection shares it with the lookups; a callback over 500ms would count.
			.withPropertyValues("protoloop.loop.threads=1", "protoloop.loop.slow-callback-duration=500ms",
					"protoloop.endpoints.lookup.port=0", "protoloop.endpoints.lookup.host=127.0.0.1",
					"protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1")
			.run((context) -> {
				EventLoop loop = context.getBean(EventLoopGroup.class).loops().get(0);
				try (Client first = Client.tcp(port(context, "lookup"));
						Client second = Client.tcp(port(context, "lookup"));
						Client third = Client.tcp(port(context, "lookup"))) {
					long slowBefore = loop.slowCallbacks();
					first.write("ada\n");
					second.write("alan\n");
					third.write("grace\n");
					assertThat(repository.entered.await(10, TimeUnit.SECONDS)).as("three calls blocking at once")
						.isTrue();

					try (Client echo = Client.tcp(port(context, "echo"))) {
						assertThat(echo.readLine()).isEqualTo("hello");
						echo.write("served meanwhile\n");
						assertThat(echo.readLine()).isEqualTo("served meanwhile");
					}
					// Each call has now blocked for longer than the slow-callback duration.
					repository.release.countDown();

					assertThat(List.of(first.readLine(), second.readLine(), third.readLine()))
						.containsExactly("ADA", "ALAN", "GRACE");
					assertThat(repository.threads).allSatisfy((name) -> assertThat(name)
						.startsWith(ProtoloopExecutorConfiguration.THREAD_NAME_PREFIX));
					assertThat(loop.slowCallbacks() - slowBefore).as("slow callbacks while the calls blocked")
						.isZero();
				}
			});
	}

	/** Replaces the executor, by its name. */
	@Configuration(proxyBeanMethods = false)
	static class OwnExecutor {

		@Bean(destroyMethod = "shutdownNow")
		ExecutorService protoloopExecutor() {
			return Executors.newSingleThreadExecutor((task) -> new Thread(task, "own-executor"));
		}

	}

	/** Takes "the" executor by type, as application code does. */
	static class ExecutorUser {

		final Executor executor;

		ExecutorUser(Executor executor) {
			this.executor = executor;
		}

	}

	/**
	 * A repository whose calls block, as JDBC does: each takes at least 600ms (over the slow-callback duration) and
	 * waits for {@link #release}.
	 */
	static final class BlockingRepository {

		final CountDownLatch entered;

		final CountDownLatch release = new CountDownLatch(1);

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		BlockingRepository(int calls) {
			this.entered = new CountDownLatch(calls);
		}

		String findName(String id) throws InterruptedException {
			long start = System.nanoTime();
			this.threads.add(Thread.currentThread().getName());
			this.entered.countDown();
			if (!this.release.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never released");
			}
			long left = TimeUnit.MILLISECONDS.toNanos(600) - (System.nanoTime() - start);
			if (left > 0) {
				// The work itself: a slow query, not synchronisation.
				TimeUnit.NANOSECONDS.sleep(left);
			}
			return id.toUpperCase();
		}

	}

	/** Answers each line with the repository's name for it, looked up off the loop, one at a time. */
	@ProtocolEndpoint("lookup")
	static class LookupProtocol implements Protocol {

		private final BlockingRepository repository;

		private final StringBuilder pending = new StringBuilder();

		private Transport transport;

		LookupProtocol(BlockingRepository repository) {
			this.repository = repository;
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			this.pending.append(StandardCharsets.UTF_8.decode(data));
			lookUpNextLine();
		}

		private void lookUpNextLine() {
			int end = this.pending.indexOf("\n");
			if (end < 0 || this.transport.isClosing()) {
				return;
			}
			String id = this.pending.substring(0, end);
			this.pending.delete(0, end + 1);
			this.transport.pauseReading();
			CompletableFuture<String> name = this.transport.getLoop()
				.runInExecutor(null, () -> this.repository.findName(id));
			name.whenComplete((found, failure) -> {
				if (this.transport.isClosing()) {
					return;
				}
				this.transport.write((((failure == null) ? found : "ERROR") + "\n").getBytes(StandardCharsets.UTF_8));
				this.transport.resumeReading();
				lookUpNextLine();
			});
		}

	}

}
