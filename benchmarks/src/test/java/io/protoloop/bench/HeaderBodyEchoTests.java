package io.protoloop.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The write-coalescing servers answer with the plain echo, in two writes or one gathered write alike. */
class HeaderBodyEchoTests {

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void theHeaderAndTheBodyAreTheEcho(boolean gather) throws Exception {
		ProtoloopEchoServer server = ProtoloopEchoServer.startHeaderBody(16, gather);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
			socket.setSoTimeout(5_000);
			// Longer than the header, then shorter: the header takes what there is and the body may be empty.
			for (String request : new String[] { "0123456789abcdefghijklmnopqrstuvwxyz", "abc" }) {
				byte[] sent = request.getBytes(StandardCharsets.US_ASCII);
				socket.getOutputStream().write(sent);
				assertThat(readFully(socket, sent.length)).isEqualTo(sent);
			}
		}
		finally {
			server.close();
		}
	}

	private static byte[] readFully(Socket socket, int length) throws IOException {
		return socket.getInputStream().readNBytes(length);
	}

}
