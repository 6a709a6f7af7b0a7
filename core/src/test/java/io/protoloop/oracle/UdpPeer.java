package io.protoloop.oracle;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A plain UDP socket on loopback (Python: UdpPeer). */
final class UdpPeer implements AutoCloseable {

	private final DatagramSocket socket;

	final InetSocketAddress addr;

	UdpPeer() throws IOException {
		this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
		this.socket.setSoTimeout((int) Trace.TIMEOUT.toMillis());
		this.addr = (InetSocketAddress) this.socket.getLocalSocketAddress();
	}

	void sendto(String text, SocketAddress to) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
		this.socket.send(new DatagramPacket(bytes, bytes.length, to));
	}

	/**
	 * The next non-empty datagram's bytes, or "timeout" (empty ones are skipped: whether CPython sends them
	 * depends on its version).
	 */
	Object recv() throws IOException {
		byte[] buffer = new byte[65536];
		while (true) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				this.socket.receive(packet);
			}
			catch (SocketTimeoutException ex) {
				return "timeout";
			}
			if (packet.getLength() > 0) {
				return Arrays.copyOf(buffer, packet.getLength());
			}
		}
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
