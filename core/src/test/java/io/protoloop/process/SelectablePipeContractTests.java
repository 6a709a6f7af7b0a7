package io.protoloop.process;

import java.nio.channels.Pipe;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.protoloop.conformance.PipeTransportContract;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.transport.ExtraInfo;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The pipe contract over a {@link Pipe}'s selectable channels: no thread involved. */
class SelectablePipeContractTests extends PipeTransportContract {

	private Pipe pipe;

	@Override
	protected Ends open(StreamProtocol reader, StreamProtocol writer) throws Exception {
		this.pipe = Pipe.open();
		return new Ends(await(this.loop.connectReadPipe(() -> reader, this.pipe.source())).transport(),
				await(this.loop.connectWritePipe(() -> writer, this.pipe.sink())).transport());
	}

	@Test
	void theChannelsAreTheLoopsOwnWithNoThreadAndTheyAreThePipeExtraInfo() throws Exception {
		Set<Thread> before = pipeThreads();
		RecordingProtocol reader = new RecordingProtocol();
		Ends ends = open(reader, new RecordingProtocol());

		this.running.run(() -> {
			assertThat(ends.reader().getExtraInfo(ExtraInfo.PIPE)).isSameAs(this.pipe.source());
			assertThat(ends.writer().getExtraInfo(ExtraInfo.PIPE)).isSameAs(this.pipe.sink());
			ends.writer().write(new byte[100_000]);
			ends.writer().close();
		});
		reader.awaitReceived(100_000);

		assertThat(before).containsAll(pipeThreads());
		await(reader.lost);
	}

}
