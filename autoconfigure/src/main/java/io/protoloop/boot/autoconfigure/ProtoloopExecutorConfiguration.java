package io.protoloop.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The executor behind {@code loop.runInExecutor(null, ...)}, where protocols run blocking work (a repository, a
 * file, a lookup) off the loop thread: virtual threads when {@code spring.threads.virtual.enabled} is {@code true}
 * on Java 21 or later, else a pool of platform threads sized as asyncio's default executor. It is closed with the
 * context, after the event-loop group. An application's own bean named {@code protoloopExecutor} replaces it; it is
 * no default candidate, so it never competes with the application's {@code Executor} beans for injection by type.
 */
@Configuration(proxyBeanMethods = false)
class ProtoloopExecutorConfiguration {

	/** The bean's name, by which the event-loop group finds it and an application replaces it. */
	static final String BEAN_NAME = "protoloopExecutor";

	/** Prefix of the executor's thread names. */
	static final String THREAD_NAME_PREFIX = "protoloop-executor-";

	@Bean(name = BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = BEAN_NAME)
	@ConditionalOnThreading(Threading.VIRTUAL)
	SimpleAsyncTaskExecutor protoloopVirtualThreadExecutor() {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(THREAD_NAME_PREFIX);
		executor.setVirtualThreads(true);
		return executor;
	}

	@Bean(name = BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = BEAN_NAME)
	@ConditionalOnThreading(Threading.PLATFORM)
	ThreadPoolTaskExecutor protoloopPlatformThreadExecutor() {
		// asyncio's default executor: min(32, processors + 4) threads, which go away when idle.
		int threads = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(threads);
		executor.setMaxPoolSize(threads);
		executor.setAllowCoreThreadTimeOut(true);
		executor.setKeepAliveSeconds(60);
		executor.setDaemon(true);
		executor.setThreadNamePrefix(THREAD_NAME_PREFIX);
		return executor;
	}

}
