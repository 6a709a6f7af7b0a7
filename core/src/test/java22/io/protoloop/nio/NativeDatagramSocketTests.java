package io.protoloop.nio;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.udp.DatagramOptions;

import static io.protoloop.nio.NativeSocketsTests.POLLIN;
import static io.protoloop.nio.NativeSocketsTests.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native UDP socket's system calls against JDK datagram channels on the other end, without an epoll set:
 * readiness is awaited with {@code poll(2)}, bounded. Its addresses and options must read as the JDK's do.
 */
@Timeout(60)
class NativeDatagramSocketTests {

	private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void sendsAndReceivesHeapAndDirectBuffersWithTheSendersAddress() throws Throwable {
		NativeDatagramSocket socket = open(DatagramOptions.builder().localAddress(LOOPBACK).build());
		DatagramChannel jdk = closing(DatagramChannel.open().bind(LOOPBACK));
		DatagramChannel other = closing(DatagramChannel.open().bind(LOOPBACK));

		assertThat(socket.receive(ByteBuffer.allocate(8))).as("nothing waiting").isNull();
		assertThat(socket.send(ascii("ping"), jdk.getLocalAddress())).isEqualTo(4);
		assertThat(socket.send(direct("pong"), jdk.getLocalAddress())).isEqualTo(4);
		ByteBuffer datagram = ByteBuffer.allocate(16);
		assertThat(receiveBlocking(jdk, datagram)).isEqualTo(socket.localAddress());
		assertThat(text(datagram)).isEqualTo("ping");
		assertThat(receiveBlocking(jdk, datagram.clear())).isEqualTo(socket.localAddress());
		assertThat(text(datagram)).isEqualTo("pong");

		// Senders taking turns, and an empty datagram: each is reported with its own address.
		for (DatagramChannel sender : List.of(jdk, other, jdk)) {
			sender.send(ascii("from " + sender.getLocalAddress()), socket.localAddress());
			awaitReady(socket, POLLIN);
			ByteBuffer target = ByteBuffer.allocateDirect(64);
			assertThat(socket.receive(target)).isEqualTo(sender.getLocalAddress());
			assertThat(text(target)).isEqualTo("from " + sender.getLocalAddress());
		}
		other.send(ByteBuffer.allocate(0), socket.localAddress());
		awaitReady(socket, POLLIN);
		ByteBuffer empty = ByteBuffer.allocate(8);
		assertThat(socket.receive(empty)).isEqualTo(other.getLocalAddress());
		assertThat(empty.position()).isZero();
		assertThat(socket.receive(empty)).isNull();
	}

	@Test
	void aDatagramLongerThanTheBufferIsTruncatedAsTheJdkDoes() throws Throwable {
		NativeDatagramSocket socket = open(DatagramOptions.builder().localAddress(LOOPBACK).build());
		try (DatagramChannel jdk = DatagramChannel.open().bind(LOOPBACK)) {
			jdk.send(ascii("0123456789"), socket.localAddress());
			awaitReady(socket, POLLIN);
			ByteBuffer target = ByteBuffer.allocate(4);
			assertThat(socket.receive(target)).isEqualTo(jdk.getLocalAddress());
			assertThat(text(target)).isEqualTo("0123");
			assertThat(socket.receive(ByteBuffer.allocate(16))).as("the rest is gone").isNull();
			assertThatIllegalArgumentException()
				.isThrownBy(() -> socket.receive(ByteBuffer.allocate(4).asReadOnlyBuffer()));
		}
	}

	@Test
	void aConnectedSocketSendsToItsPeerAndLearnsOfAClosedPortAsPortUnreachable() throws Throwable {
		InetSocketAddress closed;
		try (DatagramChannel probe = DatagramChannel.open().bind(LOOPBACK)) {
			closed = (InetSocketAddress) probe.getLocalAddress();
		}
		NativeDatagramSocket socket = open(DatagramOptions.builder().remoteAddress(closed).build());
		assertThat(socket.remoteAddress()).isEqualTo(closed);

		assertThat(socket.send(ascii("anyone?"), null)).isEqualTo(7);
		awaitReady(socket, POLLIN);
		assertThatExceptionOfType(PortUnreachableException.class)
			.isThrownBy(() -> socket.receive(ByteBuffer.allocate(8)))
			.withMessage("Connection refused");
		assertThat(socket.receive(ByteBuffer.allocate(8))).as("the error is reported once").isNull();

		// Someone now listens there: the same socket reaches it.
		try (DatagramChannel late = DatagramChannel.open().bind(closed)) {
			assertThat(socket.send(ascii("now"), null)).isEqualTo(3);
			ByteBuffer datagram = ByteBuffer.allocate(8);
			assertThat(receiveBlocking(late, datagram)).isEqualTo(socket.localAddress());
			assertThat(text(datagram)).isEqualTo("now");
		}
	}

	@Test
	void aDatagramTooLargeFailsWithTheCLibrarysText() throws Exception {
		NativeDatagramSocket socket = open(DatagramOptions.builder().localAddress(LOOPBACK).build());
		assertThatIOException().isThrownBy(() -> socket.send(ByteBuffer.allocate(70_000), socket.localAddress()))
			.withMessage("Message too long");
	}

	@Test
	void broadcastIsAllowedOnlyWhenAskedForAndUdpHasItsOwnOptions() throws Exception {
		InetSocketAddress broadcast = new InetSocketAddress("127.255.255.255", 9);
		NativeDatagramSocket plain = open(DatagramOptions.builder().localAddress("127.0.0.1", 0).build());
		NativeDatagramSocket allowed = open(
				DatagramOptions.builder().localAddress("127.0.0.1", 0).allowBroadcast(true).reusePort(true).build());

		assertThat(plain.getOption(StandardSocketOptions.SO_BROADCAST)).isFalse();
		assertThat(allowed.getOption(StandardSocketOptions.SO_BROADCAST)).isTrue();
		assertThat(allowed.getOption(StandardSocketOptions.SO_REUSEPORT)).isTrue();
		assertThatIOException().isThrownBy(() -> plain.send(ascii("all"), broadcast)).withMessage("Permission denied");
		assertThat(allowed.send(ascii("all"), broadcast)).isEqualTo(3);
		plain.setOption(StandardSocketOptions.SO_BROADCAST, true);
		assertThat(plain.send(ascii("all"), broadcast)).isEqualTo(3);

		assertThat(plain.supportedOptions()).contains(StandardSocketOptions.SO_BROADCAST)
			.doesNotContain(StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_LINGER);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> plain.getOption(StandardSocketOptions.TCP_NODELAY));
	}

	@Test
	void addressesMatchTheJdksForEachWayOfOpening() throws Exception {
		InetSocketAddress peer = (InetSocketAddress) closing(DatagramChannel.open().bind(LOOPBACK)).getLocalAddress();
		List<DatagramOptions> cases = new ArrayList<>(List.of(DatagramOptions.builder().build(),
				DatagramOptions.builder().localAddress("0.0.0.0", 0).build(),
				DatagramOptions.builder().localAddress("127.0.0.1", 0).build(),
				DatagramOptions.builder().remoteAddress(peer).build(),
				DatagramOptions.builder().family(StandardProtocolFamily.INET).build(),
				DatagramOptions.builder().family(StandardProtocolFamily.INET).remoteAddress(peer).build()));
		if (Libc.ipv6Available()) {
			cases.add(DatagramOptions.builder().localAddress("::1", 0).build());
			cases.add(DatagramOptions.builder().family(StandardProtocolFamily.INET6).remoteAddress(peer).build());
		}
		for (DatagramOptions options : cases) {
			NativeDatagramSocket socket = open(options);
			DatagramSocket jdk = closing(NioSockets.INSTANCE.openDatagram(options));
			InetSocketAddress local = (InetSocketAddress) socket.localAddress();
			InetSocketAddress jdkLocal = (InetSocketAddress) jdk.localAddress();
			assertThat(local.getAddress()).as("local address of %s", options).isEqualTo(jdkLocal.getAddress());
			assertThat(local.getPort()).as("port of %s", options).isPositive();
			assertThat(socket.remoteAddress()).as("remote address of %s", options).isEqualTo(jdk.remoteAddress());
		}
	}

	@Test
	void aDualStackSocketSeesIpv4SendersAsTheJdkDoes() throws Throwable {
		assumeTrue(Libc.ipv6Available(), "no IPv6 here");
		NativeDatagramSocket socket = open(DatagramOptions.builder().build());
		assertThat(((InetSocketAddress) socket.localAddress()).getAddress()).isInstanceOf(Inet6Address.class);
		int port = ((InetSocketAddress) socket.localAddress()).getPort();
		InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
		try (DatagramChannel ipv4 = DatagramChannel.open(StandardProtocolFamily.INET).bind(LOOPBACK)) {
			ipv4.send(ascii("v4"), target);
			awaitReady(socket, POLLIN);
			SocketAddress sender = socket.receive(ByteBuffer.allocate(8));
			assertThat(sender).isEqualTo(ipv4.getLocalAddress());
			assertThat(((InetSocketAddress) sender).getAddress()).isInstanceOf(Inet4Address.class);
			// And back to it, an IPv4 address on an IPv6 socket.
			assertThat(socket.send(ascii("back"), sender)).isEqualTo(4);
			ByteBuffer reply = ByteBuffer.allocate(8);
			receiveBlocking(ipv4, reply);
			assertThat(text(reply)).isEqualTo("back");
		}
	}

	@Test
	void closesOnceAndRefusesUseAfterwards() throws Exception {
		NativeDatagramSocket socket = open(DatagramOptions.builder().localAddress(LOOPBACK).build());
		socket.close();
		socket.close();
		assertThat(socket.isOpen()).isFalse();
		assertThatExceptionOfType(ClosedChannelException.class)
			.isThrownBy(() -> socket.receive(ByteBuffer.allocate(1)));
		assertThatExceptionOfType(ClosedChannelException.class)
			.isThrownBy(() -> socket.send(ascii("x"), new InetSocketAddress("127.0.0.1", 9)));
	}

	private NativeDatagramSocket open(DatagramOptions options) throws IOException {
		return closing(NativeDatagramSocket.open(options, DatagramSocket.family(options)));
	}

	/** Receives on a JDK channel, blocking up to the test's timeout. */
	private static SocketAddress receiveBlocking(DatagramChannel channel, ByteBuffer target) throws IOException {
		channel.configureBlocking(true);
		channel.socket().setSoTimeout(10_000);
		// The adaptor honours the timeout; the channel itself would wait for ever.
		DatagramPacket packet = new DatagramPacket(new byte[target.remaining()], target.remaining());
		channel.socket().receive(packet);
		target.put(packet.getData(), 0, packet.getLength());
		return packet.getSocketAddress();
	}

	private static ByteBuffer ascii(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
	}

	private static ByteBuffer direct(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
		return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
	}

	/** The bytes received so far in {@code buffer}, as text. */
	private static String text(ByteBuffer buffer) {
		return StandardCharsets.US_ASCII.decode(buffer.duplicate().flip()).toString();
	}

	private <T extends AutoCloseable> T closing(T resource) {
		this.resources.add(resource);
		return resource;
	}

}
