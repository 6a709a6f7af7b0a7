package io.protoloop.demo.echo;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** Which sources the UDP echo refuses: its own address, whatever it is bound to, and privileged ports. */
@Timeout(30)
class EchoLoopGuardTests {

	@Test
	void theEndpointsOwnAddressIsRefused() {
		EchoLoopGuard guard = new EchoLoopGuard(new InetSocketAddress("127.0.0.1", 7007));
		assertThat(guard.refuses(new InetSocketAddress("127.0.0.1", 7007))).isTrue();
		assertThat(guard.refuses(new InetSocketAddress("127.0.0.1", 7008))).isFalse();
		assertThat(guard.refuses(new InetSocketAddress("127.0.0.2", 7007))).as("another socket").isFalse();
		assertThat(guard.refuses(new InetSocketAddress("203.0.113.7", 7007))).isFalse();
	}

	@Test
	void boundToEveryInterfaceAnyOwnAddressOnItsPortIsRefused() {
		EchoLoopGuard guard = new EchoLoopGuard(new InetSocketAddress(7007));
		assertThat(guard.refuses(new InetSocketAddress("127.0.0.1", 7007))).isTrue();
		assertThat(guard.refuses(new InetSocketAddress("::1", 7007))).isTrue();
		assertThat(guard.refuses(new InetSocketAddress("0.0.0.0", 7007))).isTrue();
		assertThat(guard.refuses(new InetSocketAddress("127.0.0.1", 40000))).isFalse();
		assertThat(guard.refuses(new InetSocketAddress("203.0.113.7", 7007))).as("not this host's").isFalse();
	}

	@Test
	void privilegedPortsAreRefusedWhereEchoAndChargenAnswer() {
		EchoLoopGuard guard = new EchoLoopGuard(new InetSocketAddress("127.0.0.1", 7007));
		for (int port : new int[] { 0, 7, 13, 19, 53, 1023 }) {
			assertThat(guard.refuses(new InetSocketAddress("203.0.113.7", port))).as("port %d", port).isTrue();
		}
		assertThat(guard.refuses(new InetSocketAddress("203.0.113.7", 1024))).isFalse();
	}

}
