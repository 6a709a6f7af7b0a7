package io.protoloop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One echo server JVM seen from the runner: started pinned to a CPU with {@code taskset}, driven through the
 * stdin commands of {@link EchoServerMain}, and measured from the outside through {@code /proc/<pid>}.
 */
final class ServerProcess implements AutoCloseable {

	private final String name;

	private final Process process;

	private final BufferedReader replies;

	private final PrintStream commands;

	private final int port;

	private ServerProcess(String name, Process process) throws IOException {
		this.name = name;
		this.process = process;
		this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
		this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
		this.port = Integer.parseInt(reply("PORT"));
	}

	/**
	 * Starts the server {@code name} in a new JVM pinned to {@code cpu}, with this JVM's classpath, and waits
	 * until it listens. Its stderr goes to {@code log}.
	 */
	static ServerProcess start(String name, int cpu, List<String> jvmOptions, Path log) throws IOException {
		List<String> command = new ArrayList<>(List.of("taskset", "-c", Integer.toString(cpu),
				Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), EchoServerMain.class.getName(), name));
		Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
		try {
			return new ServerProcess(name, process);
		}
		catch (IOException | RuntimeException ex) {
			process.destroyForcibly();
			throw new IOException("Server " + name + " did not start; see " + log, ex);
		}
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
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
		return Long.parseLong(ask("alloc", "ALLOC"));
	}

	/** Returns the number of connections the server has open. */
	int openConnections() throws IOException {
		return Integer.parseInt(ask("conns", "CONNS"));
	}

	/** Returns the server's live heap in bytes, after a full GC. */
	long liveHeapBytes() throws IOException {
		return Long.parseLong(ask("heap", "HEAP"));
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

	private String ask(String command, String replyTag) throws IOException {
		this.commands.println(command);
		return reply(replyTag);
	}

	/** Returns the next reply tagged {@code tag}, passing over what the JVM itself prints (JFR, for one). */
	private String reply(String tag) throws IOException {
		String line;
		while ((line = this.replies.readLine()) != null && !line.startsWith(tag + " ")) {
			if (line.startsWith("ERROR ")) {
				break;
			}
		}
		if (line == null || !line.startsWith(tag + " ")) {
			throw new IOException(this.name + " replied '" + line + "' where '" + tag + " ...' was expected");
		}
		return line.substring(tag.length() + 1);
	}

	/**
	 * Asks the server to quit, and kills it if it has not within ten seconds. Interrupted, it kills the server at once
	 * and keeps the thread's interrupt status: {@code close()} does not throw {@code InterruptedException}, which
	 * try-with-resources would suppress or mask (javac's {@code -Xlint:try}).
	 */
	@Override
	public void close() {
		this.commands.println("quit");
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

}
