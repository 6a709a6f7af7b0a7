package io.protoloop.boot.availability;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.protoloop.nio.EventLoopGroup;

/**
 * An application whose second event loop dies of an {@link OutOfMemoryError} once started, run in a process of its
 * own by {@link LoopFailureTests}. It exits with 99 if nothing else ends the process within a minute.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class FatalLoopErrorApplication {

	/** The status this process exits with when the loop's death did not end it. */
	static final int NOT_EXITED = 99;

	/** Printed when the context closes. */
	static final String CLOSED = "The application context is closed";

	@Bean
	DisposableBean announceClose() {
		return () -> System.out.println(CLOSED);
	}

	public static void main(String[] args) throws InterruptedException {
		ConfigurableApplicationContext context = SpringApplication.run(FatalLoopErrorApplication.class, args);
		context.getBean(EventLoopGroup.class).loops().get(1).execute(() -> {
			throw new OutOfMemoryError("injected");
		});
		new CountDownLatch(1).await(1, TimeUnit.MINUTES);
		System.exit(NOT_EXITED);
	}

}
