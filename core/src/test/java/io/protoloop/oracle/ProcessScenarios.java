package io.protoloop.oracle;

import java.util.List;
import java.util.function.Consumer;

import io.protoloop.loop.EventLoop;
import io.protoloop.process.Signals;
import io.protoloop.process.Stdio;
import io.protoloop.process.SubprocessOptions;
import io.protoloop.transport.SubprocessTransport;

import static io.protoloop.oracle.ScenarioSupport.b;
import static io.protoloop.oracle.ScenarioSupport.exitStatus;

/** Child processes: exit codes, the order of pipe ends and the exit, signals, close before and after the exit. */
final class ProcessScenarios {

	private ProcessScenarios() {
	}

	static final SubprocessOptions NO_PIPES = SubprocessOptions.DEFAULT.withStdin(Stdio.DISCARD)
		.withStdout(Stdio.DISCARD).withStderr(Stdio.DISCARD);

	/**
	 * The child writes to stdout and closes it, waits for a line, writes to stderr and closes it, waits for the
	 * end of stdin, then exits 3: every step waits for the parent, so the order is the same every time.
	 */
	static final String PIPES_THEN_EXIT = String.join("\n", "import os, sys", "def close(fd):",
			"    os.dup2(os.open(os.devnull, os.O_WRONLY), fd)",
			"sys.stdout.write('out\\n'); sys.stdout.flush(); close(1)", "sys.stdin.readline()",
			"sys.stderr.write('err\\n'); sys.stderr.flush(); close(2)", "sys.stdin.read()", "sys.exit(3)");

	static SubprocessTransport child(EventLoop loop, Trace t, TracingSubprocessProtocol protocol,
			SubprocessOptions options, String... command) throws Exception {
		return t.await(loop, loop.subprocessExec(() -> protocol, List.of(command), options)).transport();
	}

	static void subprocessExitCodeNoPipes(EventLoop loop, Trace t) throws Exception {
		TracingSubprocessProtocol p = new TracingSubprocessProtocol(t, loop) {
			@Override
			void onMade(SubprocessTransport tr) {
				t.add("pipes", tr.getPipeTransport(0), tr.getPipeTransport(1), tr.getPipeTransport(2));
				t.add("returncode", tr.getReturncode());
			}
		};
		SubprocessTransport tr = child(loop, t, p, NO_PIPES, "python3", "-c", "import sys; sys.exit(7)");
		t.await(loop, p.lost);
		t.add("returncode", exitStatus(tr.getReturncode()));
	}

	static void subprocessPipesCloseThenExit(EventLoop loop, Trace t) throws Exception {
		TracingSubprocessProtocol p = new TracingSubprocessProtocol(t, loop) {
			@Override
			void onPipeLost(int fd, Throwable exc) {
				if (fd == 1) {
					this.transport.stdinPipe().write(b("go\n"));
				}
				else if (fd == 2) {
					this.transport.stdinPipe().close();
				}
			}
		};
		child(loop, t, p, SubprocessOptions.DEFAULT, "python3", "-c", PIPES_THEN_EXIT);
		t.await(loop, p.lost);
	}

	static void subprocessKillTerminateSignal(EventLoop loop, Trace t) throws Exception {
		signalled(loop, t, "kill", SubprocessTransport::kill);
		signalled(loop, t, "terminate", SubprocessTransport::terminate);
		signalled(loop, t, "sighup", (tr) -> tr.sendSignal(Signals.SIGHUP));
		signalled(loop, t, "sigint", (tr) -> tr.sendSignal(Signals.SIGINT));
	}

	private static void signalled(EventLoop loop, Trace t, String name, Consumer<SubprocessTransport> send)
			throws Exception {
		TracingSubprocessProtocol p = new TracingSubprocessProtocol(t, loop) {
			@Override
			void onMade(SubprocessTransport tr) {
				t.add("send", name);
				send.accept(tr);
				t.add("returncode", tr.getReturncode());
			}
		};
		child(loop, t, p, NO_PIPES, "sleep", "30");
		t.await(loop, p.lost);
	}

	static void subprocessCloseWhileRunning(EventLoop loop, Trace t) throws Exception {
		TracingSubprocessProtocol p = new TracingSubprocessProtocol(t, loop) {
			@Override
			void onMade(SubprocessTransport tr) {
				tr.close();
				t.add("isClosing", tr.isClosing());
				t.add("returncode", tr.getReturncode());
			}
		};
		child(loop, t, p, NO_PIPES.withStdout(Stdio.PIPE), "sleep", "30");
		t.await(loop, p.lost);
	}

	static void subprocessCloseAfterExit(EventLoop loop, Trace t) throws Exception {
		TracingSubprocessProtocol p = new TracingSubprocessProtocol(t, loop) {
			@Override
			void onExited() {
				this.transport.close();
				t.add("returncode", exitStatus(this.transport.getReturncode()));
			}
		};
		SubprocessTransport tr = child(loop, t, p, NO_PIPES, "python3", "-c", "pass");
		t.await(loop, p.lost);
		t.add("returncode", exitStatus(tr.getReturncode()));
	}

}
