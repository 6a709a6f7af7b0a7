package io.protoloop.boot.autoconfigure;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

import io.protoloop.boot.availability.LivenessLoopFailureHandler;
import io.protoloop.boot.context.LocalEndpointPortPostProcessor;
import io.protoloop.boot.diagnostics.InvalidConfigurationException;
import io.protoloop.boot.diagnostics.LoopTransportUnavailableException;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.boot.endpoint.ReadinessDrain;
import io.protoloop.boot.endpoint.TransportRecorderFactory;
import io.protoloop.boot.process.SubprocessShutdown;
import io.protoloop.loop.LoopFailureHandler;
import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.LoopTransport;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.nio.SelectorEventLoop;

/**
 * Auto-configuration of Protoloop: the event-loop group, closed with the context, whose loops break the
 * application's liveness when they die; and the application's {@code @ProtocolEndpoint} endpoints, started after
 * refresh and, on shutdown, taken out of readiness, then drained, with TLS from the SSL bundles they name; and,
 * after them, the child processes still running are terminated, then killed; and the executor of the loops'
 * blocking work ({@link ProtoloopExecutorConfiguration}). Every bean backs off when the
 * application defines its own.
 */
@AutoConfiguration(after = { SslAutoConfiguration.class, TaskExecutionAutoConfiguration.class })
@ConditionalOnClass(EventLoopGroup.class)
@EnableConfigurationProperties(ProtoloopProperties.class)
@Import(ProtoloopExecutorConfiguration.class)
public final class ProtoloopAutoConfiguration {

	private static final Log logger = LogFactory.getLog(ProtoloopAutoConfiguration.class);

	/** Spring's bound on each shutdown phase, which the endpoints' drain respects. */
	private static final String SHUTDOWN_PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

	/**
	 * The event loops, doing I/O as {@code protoloop.loop.transport} asks: a transport this JVM cannot use fails
	 * startup before any loop is made, and one INFO line names the loop count and the transport in use.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EventLoopGroup protoloopEventLoopGroup(ProtoloopProperties properties, LoopFailureHandler failureHandler,
			@Qualifier(ProtoloopExecutorConfiguration.BEAN_NAME) Executor executor) {
		ProtoloopProperties.Loop loop = properties.getLoop();
		int threads = (loop.getThreads() != null) ? loop.getThreads() : Runtime.getRuntime().availableProcessors();
		if (threads < 1) {
			throw new InvalidConfigurationException("protoloop.loop.threads",
					"protoloop.loop.threads is " + threads + ": an event-loop group needs at least one thread",
					"Set protoloop.loop.threads to 1 or more, or remove it to use one thread per processor.");
		}
		String tooMany = tooManyThreads(threads, Runtime.getRuntime().availableProcessors());
		if (tooMany != null) {
			logger.warn(tooMany);
		}
		if (loop.getSlowCallbackDuration().isNegative()) {
			throw new InvalidConfigurationException("protoloop.loop.slow-callback-duration",
					"protoloop.loop.slow-callback-duration is negative", "Set a positive duration such as 100ms.");
		}
		LoopTransport transport = loop.getTransport();
		String unavailable = SelectorEventLoop.unavailableReason(transport);
		if (unavailable != null) {
			throw new LoopTransportUnavailableException(transport, unavailable);
		}
		EventLoopGroup group = new EventLoopGroup(threads, LoopOptions.named(loop.getThreadNamePrefix())
			.withDebug(loop.isDebug())
			.withSlowCallbackDuration(loop.getSlowCallbackDuration())
			.withTransport(transport));
		group.setLoopFailureHandler(failureHandler);
		group.setDefaultExecutor(executor);
		logger.info("Protoloop: " + threads + ((threads == 1) ? " event loop" : " event loops") + " on "
				+ group.transport().name().toLowerCase(Locale.ROOT));
		return group;
	}

	@Bean
	@ConditionalOnMissingBean
	LoopFailureHandler protoloopLoopFailureHandler(ApplicationContext context, ProtoloopProperties properties) {
		return new LivenessLoopFailureHandler(context, properties.getLoop().isExitOnFatalError());
	}

	@Bean
	@ConditionalOnMissingBean
	ProtocolEndpoints protocolEndpoints(EventLoopGroup group, ProtoloopProperties properties,
			ConfigurableListableBeanFactory beanFactory, ConfigurableEnvironment environment,
			ObjectProvider<TransportRecorderFactory> recorders, ObjectProvider<SslBundles> sslBundles) {
		return new ProtocolEndpoints(group,
				new EndpointDefinitionResolver(beanFactory, properties, sslBundles).resolve(),
				beanFactory, environment, drainTimeout(environment),
				recorders.getIfAvailable(() -> (endpoint) -> TransportRecorder.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	ReadinessDrain protoloopReadinessDrain(ApplicationEventPublisher publisher, ProtocolEndpoints endpoints,
			ProtoloopProperties properties, Environment environment) {
		Duration delay = properties.getShutdown().getDrainDelay();
		Duration phase = shutdownPhase(environment);
		if (delay.isNegative() || delay.compareTo(phase) >= 0) {
			throw new InvalidConfigurationException("protoloop.shutdown.drain-delay",
					"protoloop.shutdown.drain-delay is " + DurationStyle.SIMPLE.print(delay)
							+ ": it must be 0 or more, and less than " + SHUTDOWN_PHASE_TIMEOUT + " ("
							+ DurationStyle.SIMPLE.print(phase) + "), which bounds it",
					"Set protoloop.shutdown.drain-delay between 0s and " + SHUTDOWN_PHASE_TIMEOUT
							+ ", or raise that timeout.");
		}
		return new ReadinessDrain(publisher, endpoints, delay);
	}

	/** Children still running at shutdown get SIGTERM, and SIGKILL once the drain timeout runs out. */
	@Bean
	@ConditionalOnMissingBean
	SubprocessShutdown protoloopSubprocessShutdown(EventLoopGroup group, Environment environment) {
		return new SubprocessShutdown(group, drainTimeout(environment));
	}

	@Bean
	static LocalEndpointPortPostProcessor localEndpointPortPostProcessor() {
		return new LocalEndpointPortPostProcessor();
	}

	/**
	 * Returns the warning for more loops than processors, or {@code null}: such loops time-slice the cores, so a
	 * connection waits for its loop's turn. Measured: two loops on one CPU gave ten times Netty's p99 latency (1.7 ms
	 * against 0.17 ms) for the same CPU per request.
	 */
	static String tooManyThreads(int threads, int processors) {
		if (threads <= processors) {
			return null;
		}
		return "protoloop.loop.threads is " + threads + " but only " + processors + " processor(s) are available: "
				+ "the loops will time-slice the processors, and a connection waits for its loop's turn on a core, "
				+ "which shows in p99 latency (measured: 10 times higher with 2 loops on 1 CPU). Remove the property "
				+ "to run one loop per processor.";
	}

	/**
	 * How long connections may drain, and children exit after SIGTERM, at shutdown: a little less than Spring
	 * waits for a phase, so what is left is still aborted or killed inside the phase.
	 */
	private static Duration drainTimeout(Environment environment) {
		return shutdownPhase(environment).multipliedBy(9).dividedBy(10);
	}

	private static Duration shutdownPhase(Environment environment) {
		return Binder.get(environment).bind(SHUTDOWN_PHASE_TIMEOUT, Duration.class).orElse(Duration.ofSeconds(30));
	}

}
