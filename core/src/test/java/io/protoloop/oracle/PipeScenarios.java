package io.protoloop.oracle;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Arrays;

import io.protoloop.loop.EventLoop;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.WritePipeTransport;

import static io.protoloop.oracle.ScenarioSupport.b;
import static io.protoloop.oracle.ScenarioSupport.buf;

/** Pipes: the read end at EOF (whatever eofReceived says), pausing it, write_eof, a reader that left. */
final class PipeScenarios {

	private PipeScenarios() {
	}

	/** A pipe whose source goes to connectReadPipe with {@code protocol}; returns the transport and the sink. */
	record ReadEnd(ReadPipeTransport tr, Pipe.SinkChannel sink) {
	}

	/** A pipe whose sink goes to connectWritePipe with {@code protocol}; returns the transport and the source. */
	record WriteEnd(WritePipeTransport tr, Pipe.SourceChannel source) {
	}

	static ReadEnd readPipe(EventLoop loop, Trace t, TracingProtocol protocol) throws Exception {
		Pipe pipe = Pipe.open();
		return new ReadEnd(t.await(loop, loop.connectReadPipe(() -> protocol, pipe.source())).transport(), pipe.sink());
	}

	static WriteEnd writePipe(EventLoop loop, Trace t, TracingProtocol protocol) throws Exception {
		Pipe pipe = Pipe.open();
		return new WriteEnd(t.await(loop, loop.connectWritePipe(() -> protocol, pipe.sink())).transport(),
				pipe.source());
	}

	static void readPipeDataThenEof(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		ReadEnd end = readPipe(loop, t, p);
		t.add("pipeGiven", end.tr().getExtraInfo("pipe") != null);
		t.add("peername", end.tr().getExtraInfo("peername", "none"));
		end.sink().write(buf("abc"));
		end.sink().close();
		t.await(loop, p.lost);
		t.add("isClosing", end.tr().isClosing());
	}

	static void readPipeEofTrueStillCloses(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		p.keepOpen = true;
		ReadEnd end = readPipe(loop, t, p);
		end.sink().write(buf("abc"));
		end.sink().close();
		t.await(loop, p.lost);
		t.add("isClosing", end.tr().isClosing());
	}

	static void readPipePauseResume(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop) {
			@Override
			void onMadePipe(BaseTransport transport) {
				ReadPipeTransport tr = (ReadPipeTransport) transport;
				tr.pauseReading();
				t.add("isReading", tr.isReading());
			}
		};
		ReadEnd end = readPipe(loop, t, p);
		end.sink().write(buf("abc"));
		end.sink().close();
		ScenarioSupport.sleep(loop, t);
		t.add("whilePaused");
		end.tr().resumeReading();
		t.add("isReading", end.tr().isReading());
		t.await(loop, p.lost);
	}

	static void writePipeWriteEofCloses(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		WriteEnd end = writePipe(loop, t, p);
		t.add("canWriteEof", end.tr().canWriteEof());
		end.tr().write(b("hello"));
		t.add("writeBufferSize", end.tr().getWriteBufferSize());
		end.tr().writeEof();
		t.add("isClosing", end.tr().isClosing());
		t.await(loop, p.lost);
		t.add("readerGot", read(end.source()), read(end.source()));
		end.source().close();
	}

	/** One read of at most 100 bytes, as {@code os.read(fd, 100)}: empty at the end of the stream. */
	private static byte[] read(Pipe.SourceChannel source) throws Exception {
		ByteBuffer data = ByteBuffer.allocate(100);
		int n = source.read(data);
		return Arrays.copyOf(data.array(), Math.max(n, 0));
	}

	static void writePipeReaderClosed(EventLoop loop, Trace t) throws Exception {
		TracingProtocol p = new TracingProtocol(t, loop);
		WriteEnd end = writePipe(loop, t, p);
		end.source().close();
		ScenarioSupport.sleep(loop, t);
		t.add("isClosing", end.tr().isClosing());
		end.tr().write(b("x"));
		t.await(loop, p.lost);
	}

}
