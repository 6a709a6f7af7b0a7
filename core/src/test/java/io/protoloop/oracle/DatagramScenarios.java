package io.protoloop.oracle;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.protoloop.loop.EventLoop;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.udp.DatagramOptions;

import static io.protoloop.oracle.ScenarioSupport.b;
import static io.protoloop.oracle.ScenarioSupport.buf;

/** Datagram endpoints: echo, ICMP errors on a connected endpoint, callback exceptions, addresses. */
final class DatagramScenarios {

	private DatagramScenarios() {
	}

	private static DatagramTransport endpoint(EventLoop loop, Trace t, TracingDatagramProtocol protocol,
			DatagramOptions options) throws Exception {
		return t.await(loop, loop.createDatagramEndpoint(() -> protocol, options)).transport();
	}

	private static DatagramOptions local() {
		return DatagramOptions.builder().localAddress("127.0.0.1", 0).build();
	}

	private static DatagramOptions remote(SocketAddress remote) {
		return DatagramOptions.builder().remoteAddress(remote).build();
	}

	private static SocketAddress closedPort() throws Exception {
		return new InetSocketAddress("127.0.0.1", Peer.closedPort(true));
	}

	static void udpEchoUnconnected(EventLoop loop, Trace t) throws Exception {
		try (UdpPeer peer = new UdpPeer()) {
			TracingDatagramProtocol p = new TracingDatagramProtocol(t, loop);
			DatagramTransport tr = endpoint(loop, t, p, local());
			peer.sendto("ping", (SocketAddress) tr.getExtraInfo(ExtraInfo.SOCKNAME));
			TracingDatagramProtocol.Event event = t.await(loop, p.nextEvent());
			t.add("fromPeer", peer.addr.equals(event.addr()));
			tr.sendto(b("pong"), event.addr());
			t.add("peerGot", peer.recv());
			tr.close();
			t.await(loop, p.lost);
		}
	}

	static void udpConnectedClosedPort(EventLoop loop, Trace t) throws Exception {
		TracingDatagramProtocol p = new TracingDatagramProtocol(t, loop);
		DatagramTransport tr = endpoint(loop, t, p, remote(closedPort()));
		tr.sendto(buf("x"));
		t.await(loop, p.nextEvent());
		t.add("isClosing", tr.isClosing());
		tr.close();
		t.await(loop, p.lost);
	}

	static void udpErrorReceivedRaises(EventLoop loop, Trace t) throws Exception {
		TracingDatagramProtocol p = new TracingDatagramProtocol(t, loop) {
			@Override
			void onError(java.io.IOException exc) {
				throw new Boom();
			}
		};
		DatagramTransport tr = endpoint(loop, t, p, remote(closedPort()));
		tr.sendto(buf("x"));
		t.await(loop, p.nextEvent());
		t.add("isClosing", tr.isClosing());
		tr.sendto(buf("y"));
		t.await(loop, p.nextEvent());
		tr.close();
		t.await(loop, p.lost);
	}

	static void udpDatagramReceivedRaises(EventLoop loop, Trace t) throws Exception {
		try (UdpPeer peer = new UdpPeer()) {
			TracingDatagramProtocol p = new TracingDatagramProtocol(t, loop) {
				@Override
				void onDatagram(byte[] data, SocketAddress addr) {
					if (new String(data, java.nio.charset.StandardCharsets.US_ASCII).equals("first")) {
						throw new Boom();
					}
				}
			};
			DatagramTransport tr = endpoint(loop, t, p, local());
			SocketAddress sockname = (SocketAddress) tr.getExtraInfo(ExtraInfo.SOCKNAME);
			peer.sendto("first", sockname);
			t.await(loop, p.nextEvent());
			peer.sendto("second", sockname);
			t.await(loop, p.nextEvent());
			t.add("isClosing", tr.isClosing());
			tr.close();
			t.await(loop, p.lost);
		}
	}

	static void udpEmptyDatagramConnected(EventLoop loop, Trace t) throws Exception {
		try (UdpPeer peer = new UdpPeer()) {
			TracingDatagramProtocol p = new TracingDatagramProtocol(t, loop);
			DatagramTransport tr = endpoint(loop, t, p, remote(peer.addr));
			t.outcome("sendtoEmpty", () -> tr.sendto(ByteBuffer.allocate(0)));
			tr.sendto(buf("x"));
			t.add("peerGot", peer.recv());
			t.add("isClosing", tr.isClosing());
			tr.close();
			t.await(loop, p.lost);
		}
	}

	static void udpExtraInfo(EventLoop loop, Trace t) throws Exception {
		try (UdpPeer peer = new UdpPeer()) {
			TracingDatagramProtocol p = new TracingDatagramProtocol(t, loop);
			DatagramTransport tr = endpoint(loop, t, p, local());
			t.add("unconnectedPeername", tr.getExtraInfo(ExtraInfo.PEERNAME, "fallback"));
			t.add("socknamePresent", tr.getExtraInfo(ExtraInfo.SOCKNAME) != null);
			tr.close();
			t.await(loop, p.lost);
			TracingDatagramProtocol connected = new TracingDatagramProtocol(t, loop);
			DatagramTransport ctr = endpoint(loop, t, connected, remote(peer.addr));
			t.add("connectedPeernameIsPeer", peer.addr.equals(ctr.getExtraInfo(ExtraInfo.PEERNAME)));
			ctr.close();
			t.await(loop, connected.lost);
		}
	}

	static void udpSendtoOtherAddressWhenConnected(EventLoop loop, Trace t) throws Exception {
		try (UdpPeer peer = new UdpPeer(); UdpPeer other = new UdpPeer()) {
			TracingDatagramProtocol p = new TracingDatagramProtocol(t, loop);
			DatagramTransport tr = endpoint(loop, t, p, remote(peer.addr));
			t.outcome("sendtoOther", () -> tr.sendto(buf("x"), other.addr));
			t.outcome("sendtoSame", () -> tr.sendto(buf("y"), peer.addr));
			t.add("peerGot", peer.recv());
			tr.close();
			t.await(loop, p.lost);
		}
	}

	static void udpSendtoAfterClose(EventLoop loop, Trace t) throws Exception {
		try (UdpPeer peer = new UdpPeer()) {
			TracingDatagramProtocol p = new TracingDatagramProtocol(t, loop);
			DatagramTransport tr = endpoint(loop, t, p, remote(peer.addr));
			tr.close();
			t.outcome("sendtoWhileClosing", () -> tr.sendto(buf("x")));
			t.await(loop, p.lost);
			t.outcome("sendtoAfterLost", () -> tr.sendto(buf("y")));
		}
	}

}
