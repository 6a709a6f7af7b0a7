package io.protoloop.nio;

import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;

import org.junit.jupiter.api.Test;

import io.protoloop.conformance.StreamTransportContract;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.transport.ExtraInfo;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream transport contract, plus what only a socket shows: the kernel takes a write at once (so a small
 * write buffers nothing, and {@code abort()} cannot take back what the socket took: the peer reads it, then EOF),
 * and {@code socket} names the channel. Run over TCP and Unix domain sockets.
 */
abstract class SocketStreamContract extends StreamTransportContract {

	@Test
	void aWriteTheSocketTakesWholeBuffersNothing() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();

		this.running.run(() -> {
			server.transport().setWriteBufferLimits(0);
			server.transport().write(new byte[10]);
			assertThat(server.transport().getWriteBufferSize()).isZero();
			assertThat(server.events()).as("a write the socket takes whole buffers nothing").containsExactly("made");
		});
		assertThat(client.protocol().awaitReceived(10)).hasSize(10);
	}

	@Test
	void abortAfterCloseCannotTakeBackWhatTheSocketTook() throws Exception {
		Accepted accepted = new Accepted(RecordingProtocol::new);
		var client = connect(accepted.server, RecordingProtocol::new);
		RecordingProtocol server = accepted.awaitFirst();

		this.running.run(() -> {
			server.transport().write(new byte[] { 1, 2, 3 });
			server.transport().close();
			server.transport().abort();
			assertThat(server.transport().getWriteBufferSize()).isZero();
		});

		assertThat(await(client.protocol().lost)).isNull();
		assertThat(client.protocol().received()).containsExactly(1, 2, 3);
	}

	@Test
	void extraInfoSocketIsTheSocketWithItsOptions() throws Exception {
		var client = connect(new Accepted(RecordingProtocol::new).server, RecordingProtocol::new);

		this.running.run(() -> {
			NetworkChannel socket = (NetworkChannel) client.transport().getExtraInfo(ExtraInfo.SOCKET);
			assertThat(socket.getLocalAddress()).isEqualTo(client.transport().getExtraInfo(ExtraInfo.SOCKNAME));
			socket.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
			// Linux doubles the size asked for, for its bookkeeping.
			assertThat(socket.getOption(StandardSocketOptions.SO_SNDBUF)).isGreaterThanOrEqualTo(64 * 1024);
		});
	}

}
