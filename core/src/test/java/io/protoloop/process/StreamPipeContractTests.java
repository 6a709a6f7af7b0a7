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
		return new Ends(await(this.loop.connectReadPipe(() -> reader, Channels.newInputStream(pipe.source()))).transport(),
				await(this.loop.connectWritePipe(() -> writer, Channels.newOutputStream(pipe.sink()))).transport());
	}

}
