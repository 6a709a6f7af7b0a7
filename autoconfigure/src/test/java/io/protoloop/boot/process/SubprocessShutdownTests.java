package io.protoloop.boot.process;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
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
import io.protoloop.process.Signals;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Children a protocol bean started and that still run when the application context closes: the one that
 * exits on {@code SIGTERM} is gone by it, the one that ignores it is killed once the shutdown timeout (0.9 of
 * {@code spring.lifecycle.timeout-per-shutdown-phase}) runs out, and each signal is logged once with the pid.
 */
@Timeout(60)
class SubprocessShutdownTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class, LifecycleAutoConfiguration.class))
		.withUserConfiguration(JobsProtocol.class)
		.withPropertyValues("protoloop.endpoints.jobs.port=0", "protoloop.endpoints.jobs.host=127.0.0.1",
				"protoloop.loop.threads=2", "spring.lifecycle.timeout-per-shutdown-phase=2s");

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
		this.runner.run((context) -> {
			pids[0] = runJob(context, "echo ready; exec sleep 60");
			pids[1] = runJob(context, "trap '' TERM; echo ready; exec sleep 60");
		});

		assertThat(JobsProtocol.exits.get(pids[0]).get(10, TimeUnit.SECONDS)).isEqualTo(128 + Signals.SIGTERM);
		assertThat(JobsProtocol.exits.get(pids[1]).get(10, TimeUnit.SECONDS)).isEqualTo(128 + Signals.SIGKILL);
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
		long[] pid = new long[1];
		this.runner.run((context) -> {
			pid[0] = runJob(context, "echo ready");
			assertThat(JobsProtocol.exits.get(pid[0]).get(10, TimeUnit.SECONDS)).isZero();
		});

		assertThat(this.logged).noneMatch((line) -> line.contains("child process"));
	}

	/**
	 * Sends {@code command} to the jobs endpoint, waits until the child says {@code ready} and closes the
	 * connection, so the endpoints drain at once; returns the child's pid.
	 */
	private static long runJob(AssertableApplicationContext context, String command) throws IOException {
		int port = context.getEnvironment().getRequiredProperty("local.protoloop.endpoints.jobs.port", Integer.class);
		try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
			channel.socket().setSoTimeout(10_000);
			channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
			InputStream in = Channels.newInputStream(channel);
			String pidLine = readLine(in);
			assertThat(pidLine).startsWith("pid ");
			assertThat(readLine(in)).isEqualTo("ready");
			return Long.parseLong(pidLine.substring(4));
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			line.append((char) b);
		}
		return line.toString();
	}

}
