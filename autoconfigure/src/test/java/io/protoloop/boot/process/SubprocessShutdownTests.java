package io.protoloop.boot.process;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.process.Jobs.JobLauncher;
import io.protoloop.boot.process.Jobs.JobLog;
import io.protoloop.process.Signals;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Children the application started (a bean that injects the loop group, a prototype protocol bean per child) and
 * that still run when the application context closes: the one that
 * exits on {@code SIGTERM} is gone by it, the one that ignores it is killed once the shutdown timeout (0.9 of
 * {@code spring.lifecycle.timeout-per-shutdown-phase}) runs out, and each signal is logged once with the pid.
 */
@Timeout(60)
class SubprocessShutdownTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class))
		.withUserConfiguration(Jobs.class)
		.withPropertyValues("protoloop.loop.threads=2", "spring.lifecycle.timeout-per-shutdown-phase=2s");

	/** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its handler. */
	private final Logger logger = Logger.getLogger(SubprocessShutdown.class.getName());

	private final List<String> logged = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			SubprocessShutdownTests.this.logged.add(record.getMessage());
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	@BeforeEach
	void captureLogs() {
		this.logger.addHandler(this.handler);
		this.logger.setLevel(Level.ALL);
	}

	@AfterEach
	void releaseLogs() {
		this.logger.removeHandler(this.handler);
	}

	@Test
	void aChildThatExitsOnTermIsTerminatedAndOneThatIgnoresItIsKilledAfterTheTimeout() throws Exception {
		long[] pids = new long[2];
		JobLog[] log = new JobLog[1];
		this.runner.run((context) -> {
			log[0] = context.getBean(JobLog.class);
			pids[0] = launch(context, "echo ready; exec sleep 60");
			pids[1] = launch(context, "trap '' TERM; echo ready; exec sleep 60");
		});

		assertThat(log[0].exits.get(pids[0]).get(10, TimeUnit.SECONDS)).isEqualTo(128 + Signals.SIGTERM);
		assertThat(log[0].exits.get(pids[1]).get(10, TimeUnit.SECONDS)).isEqualTo(128 + Signals.SIGKILL);
		for (long pid : pids) {
			assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process " + pid).isEmpty();
			assertThat(this.logged).filteredOn((line) -> line.startsWith("Terminating child process " + pid + " ("))
				.singleElement().asString().contains("sleep 60").endsWith("still running at shutdown (SIGTERM)");
		}
		assertThat(this.logged).filteredOn((line) -> line.startsWith("Killing child process ")).singleElement()
			.asString().startsWith("Killing child process " + pids[1] + " (").contains("sleep 60")
			.endsWith("still running 1800ms after SIGTERM (SIGKILL)");
	}

	@Test
	void childrenThatHaveExitedAreLeftAloneAndNothingIsLogged() throws Exception {
		this.runner.run((context) -> {
			long pid = launch(context, "echo ready");
			assertThat(context.getBean(JobLog.class).exits.get(pid).get(10, TimeUnit.SECONDS)).isZero();
		});

		assertThat(this.logged).noneMatch((line) -> line.contains("child process"));
	}

	/** Starts {@code command} through the application's launcher, waits until it says ready, returns its pid. */
	private static long launch(AssertableApplicationContext context, String command) throws Exception {
		long pid = context.getBean(JobLauncher.class).launch(command).get(10, TimeUnit.SECONDS).transport().getPid();
		assertThat(context.getBean(JobLog.class).firstLines.get(pid).get(10, TimeUnit.SECONDS)).isEqualTo("ready");
		return pid;
	}

}
