package io.protoloop.examples;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.nio.SelectorEventLoop;
import io.protoloop.loop.EventLoop;
import io.protoloop.transport.Server;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the spec's examples end to end over real sockets and a real child process. */
@Timeout(30)
class ExamplesTests {

	private final EventLoop loop = new SelectorEventLoop("examples");

	@AfterEach
	void closeLoop() {
		this.loop.close();
	}

	@Test
	void echoClientGetsItsMessageBackFromEchoServerWhichThenCloses() throws Exception {
		Server server = TcpEchoServer.start(this.loop, 0);
		int port = ((InetSocketAddress) server.addresses().get(0)).getPort();

		String echoed = TcpEchoClient.run(this.loop, "127.0.0.1", port, "Hello World!");

		assertThat(echoed).isEqualTo("Hello World!");
		server.close();
		this.loop.runUntilComplete(server.waitClosed());
		assertThat(server.isServing()).isFalse();
	}

	@Test
	void udpEchoClientGetsItsMessageBackFromUdpEchoServer() throws Exception {
		var server = UdpEchoServer.start(this.loop, 0);
		int port = ((InetSocketAddress) server.transport().getExtraInfo("sockname")).getPort();

		assertThat(UdpEchoClient.run(this.loop, "127.0.0.1", port, "Hello World!")).isEqualTo("Hello World!");
		server.transport().close();
	}

	@Test
	void existingSocketReceivesDataSentFromTheOtherEndOfThePair() throws Exception {
		assertThat(ExistingSockets.run(this.loop)).isEqualTo("abc");
	}

	@Test
	void subprocessDatePrintsTheDateTheChildWrote() throws Exception {
		assertThat(SubprocessDate.getDate(this.loop)).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");
	}

}
