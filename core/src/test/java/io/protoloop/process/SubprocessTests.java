package io.protoloop.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.loop.ExceptionContext;
import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.testing.RecordingSubprocessProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.TransportAndProtocol;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Child processes over real programs ({@code cat}, {@code sh}, {@code python3}): data both ways, the order of
 * the callbacks, exit codes and signals, closing, flow control on stdin and a paused stdout that stops its pump,
 * many children at once, and no thread or descriptor left behind.
 */
@Timeout(60)
class SubprocessTests {

	private RunningLoop running;

	private SelectorEventLoop loop;

	private boolean errorsExpected;

	@BeforeEach
	void startLoop() {
		this.running = new RunningLoop("subprocess");
		this.loop = this.running.loop();
	}

	@AfterEach
	void stopLoop() {
		this.running.close();
		if (!this.errorsExpected) {
			assertThat(this.running.errors()).as("unexpected exception-handler calls").isEmpty();
		}
	}

	private <P extends RecordingSubprocessProtocol> P exec(Supplier<P> factory, SubprocessOptions options,
			String... command) throws Exception {
		return await(this.loop.subprocessExec(factory, List.of(command), options)).protocol();
	}

	private RecordingSubprocessProtocol exec(String... command) throws Exception {
		return exec(RecordingSubprocessProtocol::new, SubprocessOptions.DEFAULT, command);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	// ---------------------------------------------------------------- data and order

	@Test
	void catEchoesWhatIsWrittenToItsStdinAndTheCallbacksComeInOrder() throws Exception {
		RecordingSubprocessProtocol cat = exec("cat");

		this.running.run(() -> {
			assertThat(cat.transport().stdinPipe().canWriteEof()).isTrue();
			cat.transport().stdinPipe().write(bytes("hello, "));
			cat.transport().stdinPipe().write(bytes("cat"));
			cat.transport().stdinPipe().close();
		});

		assertThat(await(cat.lost)).isNull();
		assertThat(cat.text(1)).isEqualTo("hello, cat");
		assertThat(await(cat.exited)).isZero();
		List<String> events = cat.events();
		assertThat(events.get(0)).isEqualTo("made");
		assertThat(events.subList(1, events.size() - 2)).containsOnly("data 1", "pipeLost 0", "pipeLost 1",
				"pipeLost 2").containsOnlyOnce("pipeLost 0", "pipeLost 1", "pipeLost 2");
		assertThat(events.subList(events.size() - 2, events.size())).containsExactly("exited", "lost");
		assertThat(events.lastIndexOf("data 1")).isLessThan(events.indexOf("pipeLost 1"));
		assertThat(cat.violations()).isEmpty();
	}

	@Test
	void stdoutAndStderrArriveSeparatelyOrJoinedWhenStderrGoesToStdout() throws Exception {
		String script = "echo out; echo err >&2";
		RecordingSubprocessProtocol separate = exec("sh", "-c", script);
		assertThat(await(separate.lost)).isNull();
		assertThat(separate.text(1)).isEqualTo("out\n");
		assertThat(separate.text(2)).isEqualTo("err\n");

		RecordingSubprocessProtocol joined = exec(RecordingSubprocessProtocol::new,
				SubprocessOptions.DEFAULT.withStderr(Stdio.STDOUT), "sh", "-c", script);
		assertThat(await(joined.lost)).isNull();
		assertThat(joined.text(1)).isEqualTo("out\nerr\n");
		this.running.run(() -> assertThat(joined.transport().getPipeTransport(2)).isNull());
		assertThat(joined.events()).doesNotContain("pipeLost 2");
	}

	@Test
	void theExitCodeIsTheReturncodeAndProcessExitedComesAfterEveryPipe() throws Exception {
		RecordingSubprocessProtocol child = exec("sh", "-c", "echo bye; exit 3");

		assertThat(await(child.exited)).isEqualTo(3);
		assertThat(await(child.lost)).isNull();
		this.running.run(() -> {
			assertThat(child.transport().getReturncode()).isEqualTo(3);
			assertThat(child.transport().isClosing()).isTrue();
		});
		assertThat(child.text(1)).isEqualTo("bye\n");
		assertThat(child.violations()).isEmpty();
	}

	@Test
	void largeOutputToAPausedReaderStopsThePumpUntilResumedAndNothingIsLost() throws Exception {
		int size = 4 * 1024 * 1024;
		RecordingSubprocessProtocol child = exec(() -> new RecordingSubprocessProtocol() {
			private boolean paused;

			@Override
			public void pipeDataReceived(int fd, java.nio.ByteBuffer data) {
				super.pipeDataReceived(fd, data);
				if (!this.paused) {
					this.paused = true;
					transport().stdoutPipe().pauseReading();
				}
			}
		}, SubprocessOptions.DEFAULT, "python3", "-c",
				"import sys\nfor i in range(" + (size / 8) + "): sys.stdout.buffer.write(b'%07d\\n' % (i % 10000000))");
		long pid = this.running.call(() -> child.transport().getPid());

		// Paused from inside the first pipeDataReceived: the pump waits instead of reading on, the child blocks
		// on its full pipe, and only that first chunk reached the protocol.
		child.awaitReceived(1, 1);
		Thread pump = awaitThread("protoloop-pid-" + pid + "-stdout");
		awaitState(pump, Thread.State.WAITING);
		int first = child.received(1).length;
		// At most one hand-over of the pump, 256 KiB.
		assertThat(first).isPositive().isLessThanOrEqualTo(256 * 1024);
		assertThat(ProcessHandle.of(pid)).hasValueSatisfying((handle) -> assertThat(handle.isAlive()).isTrue());
		this.running.run(() -> assertThat(child.transport().stdoutPipe().isReading()).isFalse());
		assertThat(child.received(1)).hasSize(first);

		this.running.run(() -> child.transport().stdoutPipe().resumeReading());
		assertThat(await(child.lost)).isNull();
		byte[] expected = new byte[size];
		for (int i = 0; i < size / 8; i++) {
			System.arraycopy(bytes(String.format("%07d\n", i % 10_000_000)), 0, expected, i * 8, 8);
		}
		assertThat(crc(child.received(1))).isEqualTo(crc(expected));
		assertThat(await(child.exited)).isZero();
	}

	@Test
	void aChildThatDoesNotReadPausesWritingToItsStdinAndDrainingResumesIt() throws Exception {
		RecordingSubprocessProtocol cat = exec("cat");
		byte[] payload = new byte[4 * 1024 * 1024];
		Arrays.fill(payload, (byte) 'x');

		// cat stops reading once its stdout is not read: the stdin pipe fills and pauses the protocol.
		this.running.run(() -> {
			cat.transport().stdoutPipe().pauseReading();
			cat.transport().stdinPipe().write(payload);
			assertThat(cat.transport().stdinPipe().getWriteBufferSize()).isPositive();
		});
		assertThat(cat.events()).containsExactly("made", "pause");

		this.running.run(() -> cat.transport().stdoutPipe().resumeReading());
		cat.awaitEvent("resume");
		this.running.run(() -> cat.transport().stdinPipe().close());
		assertThat(await(cat.lost)).isNull();
		assertThat(cat.received(1)).isEqualTo(payload);
		assertThat(cat.violations()).isEmpty();
	}

	// ---------------------------------------------------------------- signals and closing

	@Test
	void killTerminateAndOtherSignalsEndTheChildWithTheirCodes() throws Exception {
		assertThat(endedBy((t) -> t.kill())).isEqualTo(128 + Signals.SIGKILL);
		assertThat(endedBy((t) -> t.terminate())).isEqualTo(128 + Signals.SIGTERM);
		assertThat(endedBy((t) -> t.sendSignal(Signals.SIGHUP))).isEqualTo(128 + Signals.SIGHUP);
		assertThat(endedBy((t) -> t.sendSignal(Signals.SIGINT))).isEqualTo(128 + Signals.SIGINT);
	}

	private int endedBy(java.util.function.Consumer<SubprocessTransport> signal) throws Exception {
		RecordingSubprocessProtocol child = exec("sh", "-c", "exec sleep 30");
		this.running.run(() -> {
			signal.accept(child.transport());
			assertThat(child.transport().getReturncode()).isNull();
		});
		int code = await(child.exited);
		assertThat(await(child.lost)).isNull();
		// Signals after the exit do nothing.
		this.running.run(() -> {
			child.transport().kill();
			child.transport().sendSignal(Signals.SIGHUP);
		});
		return code;
	}

	@Test
	void aSignalTheChildHandlesReachesIt() throws Exception {
		RecordingSubprocessProtocol child = exec("python3", "-c", "import signal, sys\n"
				+ "signal.signal(signal.SIGUSR1, lambda *a: (print('got it', flush=True), sys.exit(7)))\n"
				+ "print(int(signal.SIGUSR1), flush=True)\n"
				+ "while True: signal.pause()");
		int usr1 = Integer.parseInt(new String(child.awaitReceived(1, 2), StandardCharsets.UTF_8).strip());

		this.running.run(() -> child.transport().sendSignal(usr1));

		assertThat(await(child.exited)).isEqualTo(7);
		assertThat(child.text(1)).endsWith("got it\n");
	}

	@Test
	void signalNumbersOutOfRangeAreRejected() throws Exception {
		RecordingSubprocessProtocol child = exec("sh", "-c", "exec sleep 30");
		this.running.run(() -> {
			assertThatIllegalArgumentException().isThrownBy(() -> child.transport().sendSignal(-1));
			assertThatIllegalArgumentException().isThrownBy(() -> child.transport().sendSignal(65));
			child.transport().close();
		});
		await(child.lost);
	}

	@Test
	void closeKillsARunningChildAfterClosingItsPipes() throws Exception {
		RecordingSubprocessProtocol child = exec("sh", "-c", "exec sleep 30");

		this.running.run(() -> {
			child.transport().close();
			assertThat(child.transport().isClosing()).isTrue();
			child.transport().close();
		});

		assertThat(await(child.lost)).isNull();
		assertThat(await(child.exited)).isEqualTo(128 + Signals.SIGKILL);
		assertThat(child.events()).startsWith("made").endsWith("exited", "lost")
			.contains("pipeLost 0", "pipeLost 1", "pipeLost 2");
		assertThat(child.violations()).isEmpty();
	}

	@Test
	void closeLeavesAFinishedChildAlone() throws Exception {
		RecordingSubprocessProtocol child = exec(() -> new RecordingSubprocessProtocol() {
			@Override
			public void processExited() {
				super.processExited();
				transport().close();
			}
		}, SubprocessOptions.DEFAULT, "sh", "-c", "exit 0");

		assertThat(await(child.lost)).isNull();
		this.running.run(() -> assertThat(child.transport().getReturncode()).isZero());
	}

	@Test
	void closeAfterTheChildExitedSendsItNoSignalEvenWhileAGrandchildHoldsItsPipes() throws Exception {
		// The child exits 5 at once; the grandchild it leaves behind inherited stdout and stderr. Java drains and
		// closes them when the child exits unless a read is in progress, so they may or may not end with it.
		RecordingSubprocessProtocol child = exec("sh", "-c", "sleep 30 & echo $!; exit 5");
		long grandchild = Long.parseLong(new String(child.awaitReceived(1, 2), StandardCharsets.UTF_8).strip());
		try {
			RunningLoop.awaitCondition(() -> callUnchecked(() -> child.transport().getReturncode() != null),
					() -> "the child has not exited");

			// The child is finished: close() ends what is left of the pipes and must not signal its pid.
			this.running.run(() -> child.transport().close());
			assertThat(await(child.lost)).isNull();
			assertThat(await(child.exited)).isEqualTo(5);
			List<String> events = child.events();
			assertThat(events.indexOf("exited")).isGreaterThan(events.indexOf("pipeLost 1"))
				.isGreaterThan(events.indexOf("pipeLost 2")).isGreaterThan(events.indexOf("pipeLost 0"));
			assertThat(child.violations()).isEmpty();
			assertThat(ProcessHandle.of(grandchild)).hasValueSatisfying((g) -> assertThat(g.isAlive()).isTrue());
		}
		finally {
			ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	private <T> T callUnchecked(java.util.concurrent.Callable<T> task) {
		try {
			return this.running.call(task);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void aChildThatClosesItsStdinGivesTheNextWriteABrokenPipeAndNoStorm() throws Exception {
		RecordingSubprocessProtocol child = exec("sh", "-c", "exec 0<&-; echo closed; exec sleep 30");
		child.awaitReceived(1, "closed\n".length());

		this.running.run(() -> child.transport().stdinPipe().write(bytes("anyone there?")));
		child.awaitEvent("pipeLost 0");
		assertThat(child.pipeError(0)).isInstanceOf(IOException.class).hasMessageContaining("Broken pipe");
		this.running.run(() -> {
			for (int i = 0; i < 20; i++) {
				child.transport().stdinPipe().write(bytes("still?"));
			}
			assertThat(child.transport().stdinPipe().getWriteBufferSize()).isZero();
			child.transport().close();
		});
		assertThat(await(child.lost)).isNull();
		assertThat(child.events()).containsOnlyOnce("pipeLost 0");
	}

	@Test
	void closingTheLoopKillsARunningChildAndItsProtocolStillSeesTheEnd() throws Exception {
		RunningLoop other = new RunningLoop("closing");
		RecordingSubprocessProtocol child = await(other.loop()
			.subprocessExec(RecordingSubprocessProtocol::new, "sh", "-c", "exec sleep 30")).protocol();

		other.close();

		assertThat(child.lost).isDone();
		assertThat(child.exited.getNow(null)).isEqualTo(128 + Signals.SIGKILL);
		assertThat(child.violations()).isEmpty();
		assertThat(other.errors()).isEmpty();
	}

	// ---------------------------------------------------------------- how the child is started

	@Test
	void theChildGetsTheEnvironmentAndDirectoryAsked(@TempDir Path directory) throws Exception {
		Map<String, String> environment = new HashMap<>();
		environment.put("GREETING", "hello");
		environment.put("PATH", System.getenv("PATH"));
		SubprocessOptions options = SubprocessOptions.DEFAULT.withEnvironment(environment).withDirectory(directory);

		RecordingSubprocessProtocol child = exec(RecordingSubprocessProtocol::new, options, "sh", "-c",
				"echo \"$GREETING\"; pwd; env | grep -c . ");
		await(child.lost);

		String[] lines = child.text(1).split("\n");
		assertThat(lines[0]).isEqualTo("hello");
		assertThat(Path.of(lines[1]).toRealPath()).isEqualTo(directory.toRealPath());
		// Only what was given (a shell may add PWD, SHLVL and _).
		assertThat(Integer.parseInt(lines[2])).isLessThanOrEqualTo(5);
	}

	@Test
	void discardedAndInheritedStreamsHaveNoPipe() throws Exception {
		SubprocessOptions options = SubprocessOptions.DEFAULT.withStdin(Stdio.DISCARD).withStdout(Stdio.DISCARD)
			.withStderr(Stdio.INHERIT);
		RecordingSubprocessProtocol child = exec(RecordingSubprocessProtocol::new, options, "sh", "-c",
				"cat; echo discarded");

		assertThat(await(child.lost)).isNull();
		assertThat(child.events()).containsExactly("made", "exited", "lost");
		this.running.run(() -> {
			for (int fd = 0; fd < 4; fd++) {
				assertThat(child.transport().getPipeTransport(fd)).isNull();
			}
		});
	}

	@Test
	void subprocessShellRunsTheCommandLineThroughSh() throws Exception {
		TransportAndProtocol<SubprocessTransport, RecordingSubprocessProtocol> child = await(
				this.loop.subprocessShell(RecordingSubprocessProtocol::new, "echo $((6 * 7)) | tr 4 X"));

		await(child.protocol().lost);
		assertThat(child.protocol().text(1)).isEqualTo("X2\n");
	}

	@Test
	void aProgramThatDoesNotExistFailsTheFuture() {
		CompletableFuture<?> future = this.loop.subprocessExec(RecordingSubprocessProtocol::new,
				"/nonexistent/protoloop-test-program");

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> await(future))
			.withCauseInstanceOf(IOException.class);
	}

	@Test
	void pidAndExtraInfoDescribeTheChild() throws Exception {
		RecordingSubprocessProtocol child = exec("cat");

		this.running.run(() -> {
			SubprocessTransport transport = child.transport();
			Process process = (Process) transport.getExtraInfo(ExtraInfo.SUBPROCESS);
			assertThat(transport.getPid()).isEqualTo(process.pid());
			assertThat(transport.getExtraInfo(ExtraInfo.PEERNAME, "none")).isEqualTo("none");
			assertThat(transport.stdinPipe().getExtraInfo(ExtraInfo.PIPE)).isSameAs(process.getOutputStream());
			assertThat(transport.stdoutPipe().getExtraInfo(ExtraInfo.PIPE)).isSameAs(process.getInputStream());
			assertThat(transport.stderrPipe().getExtraInfo(ExtraInfo.PIPE)).isSameAs(process.getErrorStream());
			assertThat(transport.toString()).contains("pid=" + process.pid(), "running");
			transport.close();
		});
		await(child.lost);
	}

	@Test
	void anExceptionInPipeDataReceivedIsReportedAndTheChildGoesOn() throws Exception {
		this.errorsExpected = true;
		RecordingSubprocessProtocol child = exec(() -> new RecordingSubprocessProtocol() {
			@Override
			public void pipeDataReceived(int fd, java.nio.ByteBuffer data) {
				super.pipeDataReceived(fd, data);
				throw new IllegalStateException("bad output");
			}
		}, SubprocessOptions.DEFAULT, "sh", "-c", "echo one; exec sleep 30");
		child.awaitReceived(1, 4);

		List<ExceptionContext> errors = this.running.awaitErrors(1);
		assertThat(errors.get(0).message()).isEqualTo("protocol.pipeDataReceived() failed");
		this.running.run(() -> {
			assertThat(child.transport().isClosing()).isFalse();
			child.transport().close();
		});
		assertThat(await(child.lost)).isNull();
	}

	// ---------------------------------------------------------------- many children, nothing left behind

	@Test
	void manyChildrenAtOnceEachGetTheirOwnDataAndLeaveNoThreadOrDescriptor() throws Exception {
		long descriptorsBefore = openDescriptors();
		int count = 40;
		List<CompletableFuture<TransportAndProtocol<SubprocessTransport, RecordingSubprocessProtocol>>> starting =
				new ArrayList<>();
		for (int i = 0; i < count; i++) {
			starting.add(this.loop.subprocessExec(RecordingSubprocessProtocol::new, "cat"));
		}
		List<RecordingSubprocessProtocol> children = new ArrayList<>();
		for (var future : starting) {
			children.add(await(future).protocol());
		}
		List<Long> pids = this.running.call(() -> {
			List<Long> running = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				SubprocessTransport child = children.get(i).transport();
				assertThat(child.getReturncode()).as("every cat waits for its stdin").isNull();
				running.add(child.getPid());
				child.stdinPipe().write(bytes("child " + i));
				child.stdinPipe().close();
			}
			return running;
		});

		for (int i = 0; i < count; i++) {
			assertThat(await(children.get(i).lost)).isNull();
			assertThat(children.get(i).text(1)).isEqualTo("child " + i);
			assertThat(children.get(i).violations()).isEmpty();
		}
		assertThat(pids).doesNotHaveDuplicates();
		RunningLoop.awaitCondition(() -> pumpThreads(pids).isEmpty(), () -> "pump threads left: " + pumpThreads(pids));
		RunningLoop.awaitCondition(() -> openDescriptors() <= descriptorsBefore,
				() -> openDescriptors() + " descriptors open, " + descriptorsBefore + " before");
	}

	@Test
	void closingChildrenThatStillRunEndsTheirPumpsAndLeavesNoDescriptor() throws Exception {
		long descriptorsBefore = openDescriptors();
		List<Long> pids = new ArrayList<>();
		List<RecordingSubprocessProtocol> children = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			RecordingSubprocessProtocol child = exec("sh", "-c", "echo started; exec sleep 30");
			child.awaitReceived(1, "started\n".length());
			this.running.run(() -> {
				pids.add(child.transport().getPid());
				// One pump waits for data, one is paused, one has data to write that nobody reads.
				child.transport().stdoutPipe().pauseReading();
				child.transport().stdinPipe().write(new byte[256 * 1024]);
				child.transport().close();
			});
			children.add(child);
		}

		for (RecordingSubprocessProtocol child : children) {
			assertThat(await(child.lost)).isNull();
			assertThat(await(child.exited)).isEqualTo(128 + Signals.SIGKILL);
		}
		RunningLoop.awaitCondition(() -> pumpThreads(pids).isEmpty(), () -> "pump threads left: " + pumpThreads(pids));
		RunningLoop.awaitCondition(() -> openDescriptors() <= descriptorsBefore,
				() -> openDescriptors() + " descriptors open, " + descriptorsBefore + " before");
	}

	// ---------------------------------------------------------------- helpers

	private static long crc(byte[] data) {
		CRC32 crc = new CRC32();
		crc.update(data);
		return crc.getValue();
	}

	private static List<String> pumpThreads(List<Long> pids) {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
			.filter((name) -> pids.stream().anyMatch((pid) -> name.startsWith("protoloop-pid-" + pid + "-")))
			.toList();
	}

	static long openDescriptors() {
		try (var fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static Thread awaitThread(String name) throws InterruptedException {
		Thread[] found = new Thread[1];
		RunningLoop.awaitCondition(() -> {
			found[0] = Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().equals(name))
				.findFirst().orElse(null);
			return found[0] != null;
		}, () -> "no thread named " + name);
		return found[0];
	}

	static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
		RunningLoop.awaitCondition(() -> thread.getState() == state,
				() -> thread.getName() + " is " + thread.getState());
	}

}
