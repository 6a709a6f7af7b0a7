package io.protoloop.boot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.diagnostics.LoopTransportUnavailableException;
import io.protoloop.loop.EventLoop;
import io.protoloop.loop.LoopTransport;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.nio.SelectorEventLoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code protoloop.loop.transport}: how it binds, what the group does with it, the startup line naming the
 * transport in use, and the failure when epoll is asked for where this JVM cannot run it (Java 17, not Linux).
 */
@Timeout(60)
class LoopTransportTests {

	/** Why epoll cannot run in this JVM, or {@code null} where it can. */
	private static final String EPOLL_UNAVAILABLE = SelectorEventLoop.unavailableReason(LoopTransport.EPOLL);

	/** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its handler. */
	private final Logger logger = Logger.getLogger(ProtoloopAutoConfiguration.class.getName());

	/** The auto-configuration's INFO and higher records while a test runs. */
	private final List<String> logged = new CopyOnWriteArrayList<>();

	private final Handler collector = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.INFO.intValue()) {
				LoopTransportTests.this.logged.add(record.getMessage());
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class))
		.withPropertyValues("protoloop.loop.threads=2");

	@BeforeEach
	void collectTheLog() {
		this.logger.addHandler(this.collector);
	}

	@AfterEach
	void stopCollecting() {
		this.logger.removeHandler(this.collector);
	}

	@ParameterizedTest
	@ValueSource(strings = { "epoll", "EPOLL", "Epoll" })
	void bindsEpollWhateverTheCase(String value) {
		assertThat(bind(Map.of("protoloop.loop.transport", value)).getTransport()).isEqualTo(LoopTransport.EPOLL);
	}

	@Test
	void bindsAutoByDefaultAndNioWhenAsked() {
		assertThat(bind(Map.of()).getTransport()).isEqualTo(LoopTransport.AUTO);
		assertThat(bind(Map.of("protoloop.loop.transport", "nio")).getTransport()).isEqualTo(LoopTransport.NIO);
	}

	@Test
	void autoUsesEpollWhereAvailableElseNioAndLogsTheLoopsAndTheTransport() {
		LoopTransport expected = (EPOLL_UNAVAILABLE == null) ? LoopTransport.EPOLL : LoopTransport.NIO;
		this.runner.run((context) -> assertTransport(context.getBean(EventLoopGroup.class), expected));
		assertThat(this.logged).containsOnlyOnce("Protoloop: 2 event loops on " + expected.name().toLowerCase());
	}

	@Test
	void nioIsUsedWhenAsked() {
		this.runner.withPropertyValues("protoloop.loop.threads=1", "protoloop.loop.transport=nio")
			.run((context) -> assertTransport(context.getBean(EventLoopGroup.class), LoopTransport.NIO));
		assertThat(this.logged).containsOnlyOnce("Protoloop: 1 event loop on nio");
	}

	@Test
	void epollWhereUnavailableFailsStartupNamingThePropertyTheValueTheReasonAndTheFix() {
		assumeTrue(EPOLL_UNAVAILABLE != null, "epoll is available in this JVM");
		this.runner.withPropertyValues("protoloop.loop.transport=EPOLL").run((context) -> {
			assertThat(context).hasFailed();
			LoopTransportUnavailableException failure = ProtoloopAutoConfigurationTests
				.findCause(context.getStartupFailure(), LoopTransportUnavailableException.class);
			assertThat(failure).as("a LoopTransportUnavailableException in %s", context.getStartupFailure())
				.isNotNull();
			assertThat(failure.getTransport()).isEqualTo(LoopTransport.EPOLL);
			assertThat(failure.getReason()).isEqualTo(EPOLL_UNAVAILABLE);
			FailureAnalysis analysis = ProtoloopAutoConfigurationTests.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.startsWith("protoloop.loop.transport is epoll, but the event loops cannot use epoll here: "
						+ EPOLL_UNAVAILABLE)
				.contains("Property: protoloop.loop.transport");
			assertThat(analysis.getAction()).contains("Set protoloop.loop.transport to auto", " or nio",
					"Java 22 or later on Linux with --enable-native-access=ALL-UNNAMED");
		});
		assertThat(this.logged).noneMatch((line) -> line.startsWith("Protoloop: "));
	}

	@Test
	void epollWhereAvailableIsUsed() {
		assumeTrue(EPOLL_UNAVAILABLE == null, () -> "epoll is unavailable: " + EPOLL_UNAVAILABLE);
		this.runner.withPropertyValues("protoloop.loop.transport=epoll")
			.run((context) -> assertTransport(context.getBean(EventLoopGroup.class), LoopTransport.EPOLL));
		assertThat(this.logged).containsOnlyOnce("Protoloop: 2 event loops on epoll");
	}

	private static ProtoloopProperties.Loop bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties))
			.bindOrCreate("protoloop", ProtoloopProperties.class)
			.getLoop();
	}

	private static void assertTransport(EventLoopGroup group, LoopTransport expected) {
		assertThat(group.transport()).isEqualTo(expected);
		assertThat(group.loops()).allSatisfy(
				(EventLoop loop) -> assertThat(((SelectorEventLoop) loop).transport()).isEqualTo(expected));
	}

}
