package io.protoloop.process;

import java.nio.channels.Channels;
import java.nio.channels.Pipe;

import io.protoloop.conformance.PipeTransportContract;
import io.protoloop.protocol.StreamProtocol;

import static io.protoloop.testing.RunningLoop.await;

/** The pipe contract over blocking Java streams, each end pumped by a thread of its own. */
class StreamPipeContractTests extends PipeTransportContract {

	@Override
	protected Ends open(StreamProtocol reader, StreamProtocol writer) throws Exception {
		Pipe pipe = Pipe.open();
		var read = await(this.loop.connectReadPipe(() -> reader, Channels.newInputStream(pipe.source())));
		var write = await(this.loop.connectWritePipe(() -> writer, Channels.newOutputStream(pipe.sink())));
		return new Ends(read.transport(), write.transport());
	}

}
