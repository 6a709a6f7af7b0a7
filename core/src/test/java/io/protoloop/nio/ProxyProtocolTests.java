package io.protoloop.nio;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.metrics.Guard;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.RecordingProtocol;
import io.protoloop.testing.RunningLoop;
import io.protoloop.testing.TestCertificates;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Server;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PROXY protocol over real sockets: the application sees the client the header names, never the header, and
 * a connection without a required header, or with a broken one, is closed and counted.
 */
@Timeout(60)
class ProxyProtocolTests {

	private final RunningLoop running = new RunningLoop("proxy-protocol");

	private final ConcurrentLinkedQueue<Guard> trips = new ConcurrentLinkedQueue<>();

	private final CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();

	@AfterEach
	void stopLoop() {
		this.running.close();
	}

	private Server server(ServerOptions.Builder options) throws Exception {
		TransportRecorder recorder = new TransportRecorder() {
			@Override
			public void guardTripped(Guard guard) {
				ProxyProtocolTests.this.trips.add(guard);
			}
		};
		return await(this.running.loop().createServer(() -> {
			RecordingProtocol protocol = new RecordingProtocol();
			this.accepted.complete(protocol);
			return protocol;
		}, options.hosts("127.0.0.1").recorder(recorder).build()));
	}

	private static Socket connect(Server server) throws IOException {
		Socket socket = new Socket("127.0.0.1", ((InetSocketAddress) server.addresses().get(0)).getPort());
		socket.setSoTimeout((int) RunningLoop.TIMEOUT.toMillis());
		socket.setTcpNoDelay(true);
		return socket;
	}

	@Test
	void aV1HeaderNamesTheClientAndTheApplicationNeverSeesIt() throws Exception {
		Server server = server(ServerOptions.builder().proxyProtocol(ProxyProtocol.REQUIRED));
		try (Socket client = connect(server)) {
			client.getOutputStream().write("PROXY TCP4 203.0.113.7 198.51.100.1 4242 443\r\nhello"
				.getBytes(StandardCharsets.US_ASCII));
			RecordingProtocol protocol = await(this.accepted);

			assertThat(protocol.awaitReceived(5)).asString(StandardCharsets.US_ASCII).isEqualTo("hello");
			assertThat(this.running.call(() -> protocol.transport().getExtraInfo(ExtraInfo.PEERNAME)))
				.isEqualTo(new InetSocketAddress("203.0.113.7", 4242));
			assertThat(this.running.call(() -> server.connections().get(0).snapshot().peer()))
				.isEqualTo(new InetSocketAddress("203.0.113.7", 4242));
		}
	}

	@Test
	void aV2HeaderArrivingOneByteAtATimeIsReadWhole() throws Exception {
		Server server = server(ServerOptions.builder().proxyProtocol(ProxyProtocol.REQUIRED));
		byte[] header = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c"
				+ "cb007107" + "c6336401" + "1092" + "01bb");
		try (Socket client = connect(server)) {
			OutputStream out = client.getOutputStream();
			for (byte b : header) {
				out.write(b);
				out.flush();
			}
			out.write("data".getBytes(StandardCharsets.US_ASCII));
			RecordingProtocol protocol = await(this.accepted);

			assertThat(protocol.awaitReceived(4)).asString(StandardCharsets.US_ASCII).isEqualTo("data");
			assertThat(this.running.call(() -> protocol.transport().getExtraInfo(ExtraInfo.PEERNAME)))
				.isEqualTo(new InetSocketAddress("203.0.113.7", 4242));
		}
	}

	@Test
	void aConnectionWithoutARequiredHeaderOrWithABrokenOneIsClosedAndCounted() throws Exception {
		Server server = server(ServerOptions.builder().proxyProtocol(ProxyProtocol.REQUIRED));
		for (String start : new String[] { "GET / HTTP/1.1\r\n\r\n", "PROXY TCP4 evil.example 1.2.3.4 1 2\r\n" }) {
			try (Socket client = connect(server)) {
				client.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
				assertThat(client.getInputStream().read()).as("closed by the server").isEqualTo(-1);
			}
		}
		assertThat(this.trips).containsExactly(Guard.PROXY_HEADER, Guard.PROXY_HEADER);
		assertThat(await(this.accepted).made).as("the application never saw either").isNotDone();
	}

	@Test
	void anOptionalHeaderMayBeAbsent() throws Exception {
		Server server = server(ServerOptions.builder().proxyProtocol(ProxyProtocol.OPTIONAL));
		try (Socket client = connect(server)) {
			client.getOutputStream().write("plain".getBytes(StandardCharsets.US_ASCII));
			RecordingProtocol protocol = await(this.accepted);

			assertThat(protocol.awaitReceived(5)).asString(StandardCharsets.US_ASCII).isEqualTo("plain");
			assertThat(this.running.call(() -> protocol.transport().getExtraInfo(ExtraInfo.PEERNAME)))
				.isEqualTo(client.getLocalSocketAddress());
		}
	}

	@Test
	void tlsFollowsTheHeaderAndTheApplicationSeesBothTheClientAndTheSession() throws Exception {
		TestCertificates certificates = TestCertificates.get();
		Server server = server(ServerOptions.builder()
			.proxyProtocol(ProxyProtocol.REQUIRED)
			.tls(TlsOptions.of(certificates.server())));
		try (Socket plain = connect(server)) {
			plain.getOutputStream().write("PROXY TCP4 203.0.113.9 198.51.100.1 5555 443\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			SSLSocket tls = (SSLSocket) certificates.trustOnly().getSocketFactory().createSocket(plain, "localhost",
					plain.getPort(), true);
			tls.getOutputStream().write("secret".getBytes(StandardCharsets.US_ASCII));
			tls.getOutputStream().flush();
			RecordingProtocol protocol = await(this.accepted);

			assertThat(protocol.awaitReceived(6)).asString(StandardCharsets.US_ASCII).isEqualTo("secret");
			assertThat(this.running.call(() -> protocol.transport().getExtraInfo(ExtraInfo.PEERNAME)))
				.isEqualTo(new InetSocketAddress("203.0.113.9", 5555));
			assertThat(this.running.call(() -> protocol.transport().getExtraInfo(ExtraInfo.CIPHER))).isNotNull();
		}
	}

}
