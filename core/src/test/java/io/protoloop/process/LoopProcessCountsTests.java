package io.protoloop.process;

import java.nio.channels.Pipe;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RecordingSubprocessProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.WritePipeTransport;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a loop tells other threads about its children and pipes ({@code runningChildren}, {@code openPipes}) and
 * lists for a shutdown ({@code subprocesses}): counts that go up as children and pipes start and back down as
 * they end, whichever way they end.
 */
@Timeout(60)
class LoopProcessCountsTests {

	private RunningLoop running;

	private SelectorEventLoop loop;

	@BeforeEach
	void startLoop() {
		this.running = new RunningLoop("counts");
		this.loop = this.running.loop();
	}

	@AfterEach
	void stopLoop() {
		this.running.close();
		assertThat(this.running.errors()).isEmpty();
	}

	/**
	 * Reads a count in a task of the loop's own: the transport is counted out just after its
	 * {@code connectionLost}, in the same callback, which the test thread may see end before the loop is done.
	 */
	private int counted(java.util.concurrent.Callable<Integer> count) throws Exception {
		return this.running.call(count);
	}

	@Test
	void childrenCountWithTheirPipesUntilTheirTransportsEnd() throws Exception {
		assertThat(counted(this.loop::runningChildren)).isZero();
		assertThat(counted(this.loop::openPipes)).isZero();

		RecordingSubprocessProtocol cat = await(this.loop.subprocessExec(RecordingSubprocessProtocol::new, "cat"))
			.protocol();
		RecordingSubprocessProtocol sleeper = await(this.loop.subprocessExec(RecordingSubprocessProtocol::new,
				java.util.List.of("sleep", "30"), SubprocessOptions.DEFAULT.withStdin(Stdio.DISCARD)))
			.protocol();

		assertThat(counted(this.loop::runningChildren)).isEqualTo(2);
		assertThat(counted(this.loop::openPipes)).isEqualTo(3 + 2);
		this.running.run(() -> assertThat(this.loop.subprocesses()).containsExactly(cat.transport(),
				sleeper.transport()));

		// cat's stdin closed: cat ends, its stdout and stderr end, then its transport.
		this.running.run(() -> cat.transport().stdinPipe().close());
		await(cat.lost);
		assertThat(counted(this.loop::runningChildren)).isEqualTo(1);
		assertThat(counted(this.loop::openPipes)).isEqualTo(2);
		this.running.run(() -> assertThat(this.loop.subprocesses()).containsExactly(sleeper.transport()));

		this.running.run(() -> sleeper.transport().kill());
		await(sleeper.lost);
		assertThat(counted(this.loop::runningChildren)).isZero();
		assertThat(counted(this.loop::openPipes)).isZero();
		this.running.run(() -> assertThat(this.loop.subprocesses()).isEmpty());
	}

	@Test
	void pipesOfTheirOwnCountUntilEitherEndCloses() throws Exception {
		Pipe pipe = Pipe.open();
		RecordingProtocol reader = new RecordingProtocol();
		RecordingProtocol writer = new RecordingProtocol();
		await(this.loop.connectReadPipe(() -> reader, pipe.source()));
		WritePipeTransport write = await(this.loop.connectWritePipe(() -> writer, pipe.sink())).transport();
		assertThat(counted(this.loop::openPipes)).isEqualTo(2);
		assertThat(counted(this.loop::runningChildren)).isZero();

		this.running.run(write::close);
		await(writer.lost);
		// The reader sees the end of the stream and closes too.
		await(reader.lost);
		assertThat(counted(this.loop::openPipes)).isZero();

		Pipe other = Pipe.open();
		RecordingProtocol closed = new RecordingProtocol();
		ReadPipeTransport closedRead = await(this.loop.connectReadPipe(() -> closed, other.source())).transport();
		assertThat(counted(this.loop::openPipes)).isEqualTo(1);
		this.running.run(closedRead::close);
		await(closed.lost);
		assertThat(counted(this.loop::openPipes)).isZero();
		other.sink().close();
	}

}
