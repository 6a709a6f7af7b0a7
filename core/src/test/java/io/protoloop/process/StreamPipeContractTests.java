package io.protoloop.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.protoloop.conformance.PipeTransportContract;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.testing.RecordingProtocol;

import static io.protoloop.testing.RunningLoop.TIMEOUT;
import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The pipe contract over blocking Java streams, each end pumped by a thread of its own. */
class StreamPipeContractTests extends PipeTransportContract {

	@Override
	protected Ends open(StreamProtocol reader, StreamProtocol writer) throws Exception {
		Pipe pipe = Pipe.open();
		var read = await(this.loop.connectReadPipe(() -> reader, Channels.newInputStream(pipe.source())));
		var write = await(this.loop.connectWritePipe(() -> writer, Channels.newOutputStream(pipe.sink())));
		return new Ends(read.transport(), write.transport());
	}

	@Test
	void whatTheStreamAlreadyHasJoinsTheReadInOneHandOverOfAtMost256KiB() throws Exception {
		int size = 300 * 1024;
		List<Integer> sizes = new CopyOnWriteArrayList<>();
		RecordingProtocol reader = new RecordingProtocol() {
			@Override
			public void dataReceived(ByteBuffer data) {
				sizes.add(data.remaining());
				super.dataReceived(data);
			}
		};
		await(this.loop.connectReadPipe(() -> reader, new TricklingStream(size, 1000)));

		assertThat(await(reader.lost)).isNull();
		assertThat(reader.received()).hasSize(size);
		// 1,000 bytes per read, but the rest was available: one hand-over of 256 KiB, one of the other 44 KiB.
		assertThat(sizes).containsExactly(256 * 1024, 44 * 1024);
		assertThat(reader.violations()).isEmpty();
	}

	/**
	 * A thread blocked in a read holds the pipe's read end until the read returns, so a writer's bytes would
	 * still go in: {@code whenClosed} waits for that read, after {@code connectionLost}, so a write after it
	 * meets a pipe with no reader.
	 */
	@Test
	void whenClosedWaitsUntilTheReadInProgressReturns() throws Exception {
		CountDownLatch inRead = new CountDownLatch(1);
		CountDownLatch readReturns = new CountDownLatch(1);
		InputStream blocking = new InputStream() {
			@Override
			public int read() throws IOException {
				byte[] one = new byte[1];
				return (read(one, 0, 1) > 0) ? (one[0] & 0xff) : -1;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				inRead.countDown();
				try {
					// Closing does not wake this read, as with a process's streams.
					return readReturns.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) ? -1 : 0;
				}
				catch (InterruptedException ex) {
					throw new InterruptedIOException();
				}
			}
		};
		RecordingProtocol reader = new RecordingProtocol();
		var read = await(this.loop.connectReadPipe(() -> reader, blocking));
		assertThat(inRead.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("the pump's read started").isTrue();

		this.running.run(() -> read.transport().close());
		assertThat(await(reader.lost)).isNull();
		this.running.run(() -> {
		});
		assertThat(read.transport().view().whenClosed()).as("released while the read holds the stream").isNotDone();

		readReturns.countDown();
		await(read.transport().view().whenClosed());
		assertThat(reader.events()).containsExactly("made", "lost");
	}

	/** A stream of {@code size} zeros that returns at most {@code perRead} bytes a read and tells what is left. */
	private static final class TricklingStream extends InputStream {

		private final int perRead;

		private int left;

		TricklingStream(int size, int perRead) {
			this.left = size;
			this.perRead = perRead;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) > 0) ? (one[0] & 0xff) : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.left == 0) {
				return -1;
			}
			int n = Math.min(Math.min(length, this.perRead), this.left);
			this.left -= n;
			return n;
		}

		@Override
		public int available() {
			return this.left;
		}

	}

}
