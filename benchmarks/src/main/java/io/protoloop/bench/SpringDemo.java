package io.protoloop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * The Spring Boot demo application as users run it, {@code java -jar demo-app/target/protoloop-demo.jar} with its
 * shipped {@code application.yml} (metrics on): its {@code echo} endpoint on a port the runner picks and one event
 * loop ({@code protoloop.loop.threads=1}, as on a one-CPU container), the other endpoints on ports of the kernel's
 * choosing so they cannot collide with anything else on the machine. The runner looks inside it through JMX, attached
 * locally: the loop thread's allocated bytes, the live heap.
 */
final class SpringDemo {

	/** The jar {@code run.sh} builds, relative to the repository root it runs from. */
	static final Path JAR = Path.of("demo-app", "target", "protoloop-demo.jar");

	/** The loop thread's name prefix, set on the command line so the probe finds the thread. */
	private static final String LOOP_THREAD_PREFIX = "bench-loop";

	private SpringDemo() {
	}

	/**
	 * Returns what follows {@code java} and its JVM options: the jar and the properties that differ from its yml,
	 * with {@code protoloop.loop.transport=epoll} if {@code epoll} (start-up then fails where epoll is unavailable,
	 * rather than measuring {@code java.nio} under the epoll name), {@code nio} otherwise.
	 */
	static List<String> command(int echoPort, Path unixSocket, boolean epoll) throws IOException {
		if (!Files.isRegularFile(JAR)) {
			throw new IOException(JAR + " is missing: run.sh builds it (./mvnw -pl benchmarks -am package)");
		}
		return List.of("-jar", JAR.toString(), "--protoloop.loop.threads=1",
				"--protoloop.loop.transport=" + (epoll ? "epoll" : "nio"),
				"--protoloop.loop.thread-name-prefix=" + LOOP_THREAD_PREFIX,
				"--protoloop.endpoints.echo.port=" + echoPort, "--protoloop.endpoints.echo-udp.port=0",
				"--protoloop.endpoints.echo-tls.port=0", "--protoloop.endpoints.starttls.port=0",
				"--protoloop.endpoints.kv.port=0", "--protoloop.endpoints.echo-unix.path=" + unixSocket,
				"--server.port=0");
	}

	/** Attaches to the application's JVM and returns a probe reading it over JMX. */
	static ServerProcess.Probe probe(Process process) throws IOException {
		String address;
		try {
			VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
			try {
				address = vm.startLocalManagementAgent();
			}
			finally {
				vm.detach();
			}
		}
		catch (AttachNotSupportedException ex) {
			throw new IOException("Cannot attach to the demo application", ex);
		}
		JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
		MBeanServerConnection server = connector.getMBeanServerConnection();
		ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME,
				ThreadMXBean.class);
		long loopThread = Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
			.filter((info) -> info != null && info.getThreadName().startsWith(LOOP_THREAD_PREFIX))
			.mapToLong(ThreadInfo::getThreadId)
			.findFirst()
			.orElseThrow(() -> new IOException("No thread named " + LOOP_THREAD_PREFIX + "* in the demo application"));
		return new ServerProcess.Probe() {

			@Override
			public long loopAllocatedBytes() {
				return threads.getThreadAllocatedBytes(loopThread);
			}

			@Override
			public void quit() {
				try {
					connector.close();
				}
				catch (IOException ex) {
					// The application is stopped next either way.
				}
				process.destroy();
			}

		};
	}

}
