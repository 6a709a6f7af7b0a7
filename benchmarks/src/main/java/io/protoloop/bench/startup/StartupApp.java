package io.protoloop.bench.startup;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.metrics.StartupStep;
import org.springframework.util.ClassUtils;

/**
 * Starts one of the start-up benchmark's applications ({@code run.sh startup}, {@code StartupTime}) and prints how
 * long it took as Spring Boot reports it: one {@value #STARTED} line with the JVM uptime and
 * {@code SpringApplication.run}'s time taken at {@link ApplicationStartedEvent}, the CPU time of the main thread (which
 * does the start-up, so this figure hardly depends on other load) and of the whole process (with the JIT compiler
 * and GC threads) by then, and which of Protoloop and Actuator
 * the classpath holds. With {@value #BREAKDOWN} it records the start-up with a {@link BufferingApplicationStartup}
 * and prints {@value #STEP} lines: the time of Boot's and the context's main steps, each Protoloop bean's own
 * instantiation time (its {@code spring.beans.instantiate} step less the nested ones) and the endpoints' start (the
 * lifecycle phase they bind in). Then it halts: shutdown is not measured.
 */
public final class StartupApp {

	/** The line prefix of the figures of every run. */
	public static final String STARTED = "STARTUP";

	/** The line prefix of a breakdown figure: {@code STEP <key> <nanoseconds>}. */
	public static final String STEP = "STEP";

	/** The argument that asks for the breakdown (not passed on to Spring). */
	public static final String BREAKDOWN = "--breakdown";

	/** The steps of Boot and of the context refresh that the breakdown reports, summed by name. */
	private static final Set<String> STEPS = Set.of("spring.boot.application.starting",
			"spring.boot.application.environment-prepared", "spring.boot.application.context-prepared",
			"spring.boot.application.context-loaded", "spring.context.refresh", "spring.context.config-classes.parse",
			"spring.context.beans.post-process", "spring.beans.smart-initialize", "spring.boot.application.started",
			"spring.boot.application.ready");

	/** The phase {@code ProtocolEndpoints} binds in ({@code SmartLifecycle.DEFAULT_PHASE - 1024}). */
	private static final int ENDPOINTS_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	private StartupApp() {
	}

	/**
	 * Runs {@code application} with {@code args}, checks the started context with {@code check} (outside the
	 * measured time), prints the figures and halts the JVM.
	 */
	public static void run(Class<?> application, String[] args, Consumer<ConfigurableApplicationContext> check) {
		boolean breakdown = Arrays.asList(args).contains(BREAKDOWN);
		SpringApplication spring = new SpringApplication(application);
		BufferingApplicationStartup startup = null;
		long[] phaseStarts = new long[2];
		if (breakdown) {
			startup = new BufferingApplicationStartup(100_000);
			spring.setApplicationStartup(startup);
			spring.addInitializers((context) -> {
				context.getBeanFactory().registerSingleton("startupBeforeEndpoints",
						new PhaseMark(ENDPOINTS_PHASE - 1, phaseStarts, 0));
				context.getBeanFactory().registerSingleton("startupAfterEndpoints",
						new PhaseMark(ENDPOINTS_PHASE + 1, phaseStarts, 1));
			});
		}
		long[] started = new long[4];
		spring.addListeners((ApplicationListener<ApplicationStartedEvent>) (event) -> {
			started[0] = ManagementFactory.getRuntimeMXBean().getUptime();
			started[1] = event.getTimeTaken().toNanos();
			started[2] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
			started[3] = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime();
		});
		ConfigurableApplicationContext context = spring.run(Arrays.stream(args)
			.filter((arg) -> !arg.equals(BREAKDOWN))
			.toArray(String[]::new));
		check.accept(context);
		boolean protoloop = ClassUtils.isPresent("io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration", null);
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s uptime-ms=%d taken-ns=%d"
				+ " main-cpu-ns=%d process-cpu-ns=%d protoloop=%b actuator=%b%n", STARTED, started[0], started[1],
				started[2], started[3], protoloop,
				ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint", null)));
		if (startup != null) {
			breakdown(startup.getBufferedTimeline().getEvents(), context).forEach((key, nanos) -> out
				.append(String.format(Locale.ROOT, "%s %s %d%n", STEP, key, nanos)));
			if (protoloop) {
				out.append(String.format(Locale.ROOT, "%s endpoints-start %d%n", STEP,
						phaseStarts[1] - phaseStarts[0]));
			}
		}
		System.out.print(out);
		System.out.flush();
		Runtime.getRuntime().halt(0);
	}

	/**
	 * Returns the breakdown keys and their nanoseconds: {@code step:<name>} for {@link #STEPS}, and
	 * {@code bean:<name>} for each Protoloop bean's own instantiation time, with their sum as {@code protoloop-beans}.
	 */
	static Map<String, Long> breakdown(List<TimelineEvent> events, ConfigurableApplicationContext context) {
		Map<Long, Long> nested = new HashMap<>();
		for (TimelineEvent event : events) {
			Long parent = event.getStartupStep().getParentId();
			if (parent != null) {
				nested.merge(parent, event.getDuration().toNanos(), Long::sum);
			}
		}
		Map<String, Long> keys = new TreeMap<>();
		List<String> protoloopBeans = new ArrayList<>();
		for (TimelineEvent event : events) {
			StartupStep step = event.getStartupStep();
			Duration duration = event.getDuration();
			if (STEPS.contains(step.getName())) {
				keys.merge("step:" + step.getName(), duration.toNanos(), Long::sum);
			}
			String bean = step.getName().equals("spring.beans.instantiate") ? tag(step, "beanName") : null;
			if (bean != null && isProtoloop(context, bean)) {
				long own = duration.toNanos() - nested.getOrDefault(step.getId(), 0L);
				keys.merge("bean:" + bean, own, Long::sum);
				protoloopBeans.add(bean);
			}
		}
		keys.put("protoloop-beans", protoloopBeans.stream().distinct().mapToLong((bean) -> keys.get("bean:" + bean))
			.sum());
		return keys;
	}

	private static String tag(StartupStep step, String key) {
		for (StartupStep.Tag tag : step.getTags()) {
			if (tag.getKey().equals(key)) {
				return tag.getValue();
			}
		}
		return null;
	}

	/** Returns whether {@code bean} is one of Protoloop's (its type is in {@code io.protoloop}, not this module's). */
	private static boolean isProtoloop(ConfigurableApplicationContext context, String bean) {
		Class<?> type = context.getBeanFactory().containsBean(bean) ? context.getBeanFactory().getType(bean) : null;
		String name = (type != null) ? type.getName() : bean;
		return name.startsWith("io.protoloop.") && !name.startsWith("io.protoloop.bench.");
	}

	/** Notes the time its phase starts, so two of them bracket the endpoints' phase. */
	private static final class PhaseMark implements SmartLifecycle {

		private final int phase;

		private final long[] starts;

		private final int index;

		private volatile boolean running;

		PhaseMark(int phase, long[] starts, int index) {
			this.phase = phase;
			this.starts = starts;
			this.index = index;
		}

		@Override
		public void start() {
			this.starts[this.index] = System.nanoTime();
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
