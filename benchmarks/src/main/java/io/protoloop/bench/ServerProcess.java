package io.protoloop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server JVM seen from the runner: started pinned to a CPU with {@code taskset}, looked inside through a
 * {@link Probe} (the stdin commands of {@link EchoServerMain}, or JMX for the Spring application), and measured
 * from the outside through {@code /proc/<pid>}.
 */
final class ServerProcess implements AutoCloseable {

	private final String name;

	private final Process process;

	/** How the runner looks inside the server: its stdin commands, or JMX for the Spring application. */
	private final Probe probe;

	private final int port;

	private ServerProcess(String name, Process process, Probe probe, int port) {
		this.name = name;
		this.process = process;
		this.probe = probe;
		this.port = port;
	}

	/**
	 * Starts the server {@code name} in a new JVM pinned to {@code cpu} and waits until it listens: one of
	 * {@link EchoServerMain}'s servers with this JVM's classpath, on the JDK {@code jvm} gives it, or for
	 * {@link Report#PROTOLOOP_SPRING} (and its epoll twin) the demo application's jar, {@link SpringDemo}. Its output goes to {@code log}.
	 * @throws Unavailable if the server cannot run on this machine (a native transport the kernel refuses, no JDK
	 * for the native backend)
	 */
	static ServerProcess start(String name, int cpu, ServerJvm jvm, List<String> jvmOptions, Path log)
			throws IOException {
		if (name.equals(Report.REDIS_SERVER)) {
			return startRedis(cpu, log);
		}
		List<String> command = new ArrayList<>(List.of("taskset", "-c", Integer.toString(cpu)));
		List<String> java = jvm.command(name);
		command.add(java.get(0));
		command.addAll(jvmOptions);
		command.addAll(java.subList(1, java.size()));
		if (Report.nioTwin(name).equals(Report.PROTOLOOP_SPRING)) {
			int port = freePort();
			command.addAll(SpringDemo.command(port, log.resolveSibling(log.getFileName() + ".sock"),
					Report.nativeBackend(name)));
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
				.start();
			try {
				awaitListening(process, port, log);
				return new ServerProcess(name, process, SpringDemo.probe(process), port);
			}
			catch (IOException | RuntimeException ex) {
				process.destroyForcibly();
				throw ex;
			}
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), EchoServerMain.class.getName(), name));
		Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
		try {
			StdinProbe probe = new StdinProbe(name, process);
			return new ServerProcess(name, process, probe, Integer.parseInt(probe.reply("PORT")));
		}
		catch (Unavailable ex) {
			// The server exits on its own once it has said why.
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			process.destroyForcibly();
			throw new IOException("Server " + name + " did not start; see " + log, ex);
		}
	}

	/**
	 * Starts {@code redis-server} pinned to {@code cpu} on a free port of 127.0.0.1, without persistence (the kv
	 * endpoint keeps nothing on disk either), its log in {@code log}.
	 * @throws Unavailable if {@code redis-server} is not installed
	 */
	private static ServerProcess startRedis(int cpu, Path log) throws IOException {
		int port = freePort();
		Process process;
		try {
			process = new ProcessBuilder("taskset", "-c", Integer.toString(cpu), "redis-server", "--port",
					Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
					"--daemonize", "no")
				.redirectErrorStream(true).redirectOutput(log.toFile()).start();
			awaitListening(process, port, log);
		}
		catch (IOException ex) {
			if (!Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
				throw new Unavailable(Report.REDIS_SERVER, "not installed (Debian: apt-get install redis-server)");
			}
			throw ex;
		}
		Process redis = process;
		return new ServerProcess(Report.REDIS_SERVER, redis, new Probe() {

			@Override
			public long loopAllocatedBytes() {
				// Not a JVM: no loop-thread allocation to read; the report leaves the column out.
				return 0;
			}

			@Override
			public void quit() {
				redis.destroy();
			}

		}, port);
	}

	/** Returns a port free on 127.0.0.1 right now, for a server that cannot be given port 0. */
	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Waits until {@code port} accepts a connection, or fails if the process exits or takes over two minutes. */
	private static void awaitListening(Process process, int port, Path log) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
				return;
			}
			catch (IOException notYet) {
				if (!process.isAlive() || System.nanoTime() > deadline) {
					throw new IOException("The server did not listen on " + port + "; see " + log, notYet);
				}
			}
			try {
				process.waitFor(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while the server started", ex);
			}
		}
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	/** Returns the server's process id (what {@code taskset} ran is the JVM itself: it execs). */
	long pid() {
		return this.process.pid();
	}

	/** Returns the CPU time the whole process has used so far (all threads, user and system), in clock ticks. */
	long cpuTicks() throws IOException {
		return ProcStat.processTicks(this.process.pid());
	}

	/** Returns the CPU time of the process's JIT compiler threads, in clock ticks. */
	long compilerTicks() throws IOException {
		return ProcStat.threadTicks(this.process.pid(), "CompilerThre");
	}

	/** Returns the process's resident set size in bytes. */
	long residentBytes() throws IOException {
		return ProcStat.residentBytes(this.process.pid());
	}

	/** Returns the bytes the server's loop thread has allocated so far. */
	long loopAllocatedBytes() throws IOException {
		return this.probe.loopAllocatedBytes();
	}

	/** Returns whether the server reports its open connections and live heap, which the idle scenario reads. */
	boolean measuresIdle() {
		return this.probe instanceof IdleProbe;
	}

	/** Returns the number of connections the server has open; only where {@link #measuresIdle()}. */
	int openConnections() throws IOException {
		return idleProbe().openConnections();
	}

	/** Returns the server's live heap in bytes, after a full GC; only where {@link #measuresIdle()}. */
	long liveHeapBytes() throws IOException {
		return idleProbe().liveHeapBytes();
	}

	private IdleProbe idleProbe() {
		if (this.probe instanceof IdleProbe idle) {
			return idle;
		}
		throw new IllegalStateException(this.name + " does not report its connections and heap: no idle scenario");
	}

	/** Waits until the server reports {@code expected} open connections. */
	void awaitConnections(int expected) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		int open;
		while ((open = openConnections()) != expected) {
			if (System.nanoTime() > deadline) {
				throw new IOException(this.name + " has " + open + " connections open, expected " + expected);
			}
			Thread.sleep(20);
		}
	}

	/**
	 * Asks the server to quit, and kills it if it has not within ten seconds. Interrupted, it kills the server at once
	 * and keeps the thread's interrupt status: {@code close()} does not throw {@code InterruptedException}, which
	 * try-with-resources would suppress or mask (javac's {@code -Xlint:try}).
	 */
	@Override
	public void close() {
		this.probe.quit();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/** What the runner reads inside a server, besides {@code /proc}. */
	interface Probe {

		/** Returns the bytes the server's loop thread has allocated so far. */
		long loopAllocatedBytes() throws IOException;

		/** Asks the server to exit (it is killed if it has not within ten seconds). */
		void quit();

	}

	/** A probe that also reads what the idle scenario measures: the servers of {@link EchoServerMain}. */
	interface IdleProbe extends Probe {

		/** Returns the number of connections the server has open. */
		int openConnections() throws IOException;

		/** Returns the server's live heap in bytes, after a full GC. */
		long liveHeapBytes() throws IOException;

	}

	/** {@link EchoServerMain}'s one-line commands on stdin, its replies on stdout. */
	private static final class StdinProbe implements IdleProbe {

		private final String name;

		private final BufferedReader replies;

		private final PrintStream commands;

		StdinProbe(String name, Process process) {
			this.name = name;
			this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(),
					StandardCharsets.US_ASCII));
			this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
		}

		@Override
		public long loopAllocatedBytes() throws IOException {
			return Long.parseLong(ask("alloc", "ALLOC"));
		}

		@Override
		public int openConnections() throws IOException {
			return Integer.parseInt(ask("conns", "CONNS"));
		}

		@Override
		public long liveHeapBytes() throws IOException {
			return Long.parseLong(ask("heap", "HEAP"));
		}

		@Override
		public void quit() {
			this.commands.println("quit");
		}

		private String ask(String command, String replyTag) throws IOException {
			this.commands.println(command);
			return reply(replyTag);
		}

		/**
		 * Returns the next reply tagged {@code tag}, passing over what the JVM itself prints (JFR, for one).
		 * @throws Unavailable if the server said it cannot run here ({@code UNAVAILABLE <reason>})
		 */
		String reply(String tag) throws IOException {
			String line;
			while ((line = this.replies.readLine()) != null && !line.startsWith(tag + " ")) {
				if (line.startsWith(EchoServerMain.UNAVAILABLE + " ")) {
					throw new Unavailable(this.name, line.substring(EchoServerMain.UNAVAILABLE.length() + 1));
				}
				if (line.startsWith("ERROR ")) {
					break;
				}
			}
			if (line == null || !line.startsWith(tag + " ")) {
				throw new IOException(this.name + " replied '" + line + "' where '" + tag + " ...' was expected");
			}
			return line.substring(tag.length() + 1);
		}

	}

	/** The server cannot run on this machine; the report names it with the reason instead of figures. */
	static final class Unavailable extends IOException {

		private static final long serialVersionUID = 1L;

		Unavailable(String server, String reason) {
			super(server + " is unavailable: " + reason);
		}

	}

}
