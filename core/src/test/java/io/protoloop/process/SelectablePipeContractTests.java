package io.protoloop.process;

import java.nio.channels.Pipe;

import io.protoloop.conformance.PipeTransportContract;
import io.protoloop.protocol.StreamProtocol;

import static io.protoloop.testing.RunningLoop.await;

/** The pipe contract over a {@link Pipe}'s selectable channels: no thread involved. */
class SelectablePipeContractTests extends PipeTransportContract {

	@Override
	protected Ends open(StreamProtocol reader, StreamProtocol writer) throws Exception {
		Pipe pipe = Pipe.open();
		return new Ends(await(this.loop.connectReadPipe(() -> reader, pipe.source())).transport(),
				await(this.loop.connectWritePipe(() -> writer, pipe.sink())).transport());
	}

}
