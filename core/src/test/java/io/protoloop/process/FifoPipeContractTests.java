package io.protoloop.process;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;

import io.protoloop.conformance.PipeTransportContract;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.transport.ReadPipeTransport;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.transport.WritePipeTransport;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipe contract over a named pipe made with {@code mkfifo}, opened by path at both ends (each open waits
 * for the other end, off the loop thread).
 */
class FifoPipeContractTests extends PipeTransportContract {

	@TempDir
	Path directory;

	@Override
	protected Ends open(StreamProtocol reader, StreamProtocol writer) throws Exception {
		Path fifo = this.directory.resolve("fifo-" + System.nanoTime());
		Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
		assertThat(mkfifo.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(mkfifo.exitValue()).isZero();
		CompletableFuture<TransportAndProtocol<ReadPipeTransport, StreamProtocol>> read = this.loop
			.connectReadPipe(() -> reader, fifo);
		CompletableFuture<TransportAndProtocol<WritePipeTransport, StreamProtocol>> write = this.loop
			.connectWritePipe(() -> writer, fifo);
		return new Ends(await(read).transport(), await(write).transport());
	}

}
