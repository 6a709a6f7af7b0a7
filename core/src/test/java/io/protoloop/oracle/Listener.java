package io.protoloop.oracle;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A plain listening socket on loopback, for scenarios where the subject connects (Python: Listener). */
final class Listener {

	private final ServerSocket socket;

	final int port;

	Listener() throws IOException {
		this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.socket.setSoTimeout((int) Trace.TIMEOUT.toMillis());
		this.port = this.socket.getLocalPort();
	}

	Peer accept() throws IOException {
		try (ServerSocket listening = this.socket) {
			return new Peer(listening.accept());
		}
	}

}
