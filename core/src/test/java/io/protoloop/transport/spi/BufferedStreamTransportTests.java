package io.protoloop.transport.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.protoloop.loop.EventLoop;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.transport.TransportSettings;
import io.protoloop.transport.WritePipeTransport;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one write path of the pipe and TLS transports, over a sink the test opens and shuts: direct writes while
 * nothing is buffered, the watermarks, the drain, the close that waits for it, and a sink that fails.
 */
class BufferedStreamTransportTests {

	private final RunningLoop running = new RunningLoop("buffered-stream");

	private final RecordingProtocol protocol = new RecordingProtocol();

	private GatedTransport transport;

	@AfterEach
	void closeLoop() {
		this.running.close();
	}

	@Test
	void writesToTheSinkWhileNothingIsBufferedAndBuffersWhatItDoesNotTake() throws Exception {
		start(3);
		this.running.run(() -> {
			this.transport.write(bytes("hello"));
			this.transport.write("xy".getBytes(StandardCharsets.US_ASCII), 0, 2);
		});
		assertThat(this.running.call(() -> this.transport.sent())).isEqualTo("hel");
		assertThat(this.running.call(() -> this.transport.sendCalls)).isEqualTo(1);
		assertThat(this.running.call(this.transport::getWriteBufferSize)).isEqualTo(4);
		assertThat(this.running.call(() -> this.transport.awaits)).containsExactly(true);
		this.running.run(() -> this.transport.open(100));
		assertThat(this.running.call(() -> this.transport.sent())).isEqualTo("helloxy");
		assertThat(this.running.call(this.transport::getWriteBufferSize)).isZero();
		assertThat(this.running.call(() -> this.transport.awaits)).containsExactly(true, false);
	}

	@Test
	void pausesOverTheHighWatermarkAndResumesWhenTheDrainReachesTheLowOne() throws Exception {
		start(0);
		this.running.run(() -> {
			this.transport.setWriteBufferLimits(4, 1);
			this.transport.writelines(bytes("abc"), bytes("de"));
		});
		assertThat(this.protocol.events()).containsExactly("made", "pause");
		this.running.run(() -> this.transport.open(3));
		assertThat(this.running.call(this.transport::getWriteBufferSize)).isEqualTo(2);
		assertThat(this.protocol.events()).containsExactly("made", "pause");
		this.running.run(() -> this.transport.open(1));
		assertThat(this.running.call(this.transport::getWriteBufferSize)).isEqualTo(1);
		assertThat(this.protocol.events()).containsExactly("made", "pause", "resume");
		assertThat(this.protocol.violations()).isEmpty();
	}

	@Test
	void closeEndsTheTransportOnceTheDrainEmptiesTheBuffer() throws Exception {
		start(0);
		this.running.run(() -> {
			this.transport.write(bytes("pending"));
			this.transport.close();
			this.transport.write(bytes("+more"));
		});
		assertThat(this.protocol.lost).isNotDone();
		this.running.run(() -> this.transport.open(100));
		assertThat(await(this.protocol.lost)).isNull();
		assertThat(this.running.call(() -> this.transport.sent())).isEqualTo("pending+more");
	}

	@Test
	void aFailingSinkEndsTheTransportWithItsErrorAndLaterWritesAreDropped() throws Exception {
		start(0);
		IOException broken = new IOException("Broken pipe");
		this.running.run(() -> {
			this.transport.write(bytes("queued"));
			this.transport.failure = broken;
			this.transport.open(100);
		});
		assertThat(await(this.protocol.lost)).isSameAs(broken);
		this.running.run(() -> this.transport.write(bytes("late")));
		assertThat(this.running.call(this.transport::getWriteBufferSize)).isZero();
		assertThat(this.running.call(() -> this.transport.sendCalls)).isEqualTo(2);
	}

	private void start(int room) throws Exception {
		CompletableFuture<Void> made = new CompletableFuture<>();
		this.running.run(() -> {
			this.transport = new GatedTransport(this.running.loop(), this.protocol, room);
			this.transport.start(made);
		});
		await(made);
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
	}

	/** A transport whose sink takes only as many bytes as the test gives it room for. */
	static final class GatedTransport extends BufferedStreamTransport implements WritePipeTransport {

		private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

		final List<Boolean> awaits = new ArrayList<>();

		int room;

		int sendCalls;

		IOException failure;

		GatedTransport(EventLoop loop, StreamProtocol protocol, int room) {
			super(loop, protocol, TransportSettings.DEFAULT, ConnectionTracker.NONE, null, null, "Sink failed");
			this.room = room;
		}

		/** Gives the sink room for {@code more} bytes, and tells the transport, as a writable channel would. */
		void open(int more) {
			this.room += more;
			drain();
		}

		String sent() {
			return this.sent.toString(StandardCharsets.US_ASCII);
		}

		@Override
		protected int send(ByteBuffer data) throws IOException {
			this.sendCalls++;
			if (this.failure != null) {
				throw this.failure;
			}
			int n = Math.min(this.room, data.remaining());
			byte[] taken = new byte[n];
			data.get(taken);
			this.sent.writeBytes(taken);
			this.room -= n;
			return n;
		}

		@Override
		protected void awaitWritable(boolean on) {
			this.awaits.add(on);
		}

		@Override
		protected void callConnectionMade(StreamProtocol protocol) {
			protocol.connectionMade(this);
		}

		@Override
		protected boolean canRead() {
			return false;
		}

		@Override
		protected void readingChanged(boolean reading) {
		}

		@Override
		protected void stopIo() {
		}

		@Override
		protected void releaseResources(boolean graceful, Runnable released) {
			released.run();
		}

		@Override
		public boolean canWriteEof() {
			return false;
		}

		@Override
		public void writeEof() {
			throw new UnsupportedOperationException("this test transport cannot half-close: canWriteEof() is false");
		}

	}

}
