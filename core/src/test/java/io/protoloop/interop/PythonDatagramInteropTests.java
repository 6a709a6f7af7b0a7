package io.protoloop.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.testing.RecordingDatagramProtocol;
import io.protoloop.testing.RecordingDatagramProtocol.Received;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.TransportAndProtocol;
import io.protoloop.udp.DatagramOptions;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interoperability with CPython's asyncio over UDP: a real {@code python3} peer, written with asyncio's low-level
 * {@code DatagramProtocol} API, exchanges datagrams of every size up to the IPv4 maximum with Protoloop's datagram
 * endpoints over loopback in both directions, and a connected Java endpoint sees the Python server go away as
 * {@code errorReceived(PortUnreachableException)}. One datagram at a time, each waiting for its echo, so no
 * receive buffer can overflow and nothing is lost. The scripts live in {@code src/test/resources/python}
 * (standard library only, Python 3.7 or later); the tests are skipped when {@code python3} is not on the PATH.
 */
@Timeout(60)
class PythonDatagramInteropTests extends PythonInteropSupport {

	PythonDatagramInteropTests() {
		super("udp-interop");
	}


	private static final String HOST = "127.0.0.1";

	/** The largest UDP payload over IPv4: 65,535 bytes less the IP (20) and UDP (8) headers. */
	private static final int MAX_IPV4_PAYLOAD = 65507;

	private static final int SEED = 20240301;

	@Test
	void pythonAsyncioClientGetsDatagramsOfEverySizeUpToTheIpv4MaximumEchoedByJavaEndpoint() throws Exception {
		List<Integer> sizes = List.of(0, 1, 1024, 8192, MAX_IPV4_PAYLOAD);
		var echo = endpoint(Echo::new, DatagramOptions.builder().localAddress(HOST, 0).build());

		List<Object> args = new ArrayList<>(List.of(HOST, sockname(echo).getPort(), SEED));
		args.addAll(sizes);
		PythonPeer client = start("udp_client.py", args.toArray());
		Map<String, String> result = client.result();

		assertThat(client.awaitExit()).as(client.describe()).isZero();
		assertThat(result).as("what the Python client checked")
			.containsEntry("sent", String.valueOf(sizes.size()))
			.containsEntry("echoed", String.valueOf(sizes.size()))
			.containsEntry("mismatches", "0")
			.containsEntry("sizes", join(sizes))
			.containsEntry("errors", "0")
			.containsEntry("extra", "0")
			.containsEntry("empty_via", expectedEmptyVia());
		InetSocketAddress python = parseAddress(result.get("sockname"));
		List<Received> received = new ArrayList<>();
		for (int i = 0; i < sizes.size(); i++) {
			received.add(echo.protocol().next());
		}
		assertThat(received).as("datagrams the Java endpoint received").extracting((r) -> r.data().length)
			.containsExactlyElementsOf(sizes);
		assertThat(received).extracting((r) -> sha256(r.data()))
			.containsExactly(result.get("sha256").split(","));
		assertThat(received).extracting(Received::sender).as("the Python socket's address").containsOnly(python);
		assertThat(echo.protocol().pending()).isEmpty();
		assertThat(echo.protocol().pendingErrors()).isEmpty();
		this.running.run(echo.transport()::close);
		assertThat(await(echo.protocol().lost)).isNull();
		assertThat(this.running.errors()).isEmpty();
	}

	@Test
	void javaEndpointsGetDatagramsOfEverySizeUpToTheIpv4MaximumEchoedByPythonAsyncioServer() throws Exception {
		List<Integer> sizes = List.of(1, 1024, 8192, MAX_IPV4_PAYLOAD);
		PythonPeer server = start("udp_echo_server.py", sizes.size() + 1);
		InetSocketAddress serverAddress = new InetSocketAddress(HOST, server.port());
		var connected = endpoint(RecordingDatagramProtocol::new,
				DatagramOptions.builder().remoteAddress(serverAddress).build());
		// The JDK cannot send an empty datagram on a connected socket: an unconnected endpoint sends that one.
		var unconnected = endpoint(RecordingDatagramProtocol::new,
				DatagramOptions.builder().localAddress(HOST, 0).build());
		List<String> digests = new ArrayList<>();

		for (int size : sizes) {
			byte[] data = randomBytes(size, SEED + size);
			digests.add(sha256(data));
			this.running.run(() -> connected.transport().sendto(ByteBuffer.wrap(data)));
			Received echo = next(connected, server);
			assertThat(echo.data()).as("echo of %d bytes", size).isEqualTo(data);
			assertThat(echo.sender()).isEqualTo(serverAddress);
		}
		digests.add(sha256(new byte[0]));
		this.running.run(() -> unconnected.transport().sendto(ByteBuffer.allocate(0), serverAddress));
		Received emptyEcho = next(unconnected, server);
		assertThat(emptyEcho.data()).as("echo of the empty datagram").isEmpty();
		assertThat(emptyEcho.sender()).isEqualTo(serverAddress);

		Map<String, String> result = server.result();
		assertThat(server.awaitExit()).as(server.describe()).isZero();
		List<String> senders = IntStream.range(0, sizes.size())
			.mapToObj((i) -> format(sockname(connected)))
			.collect(Collectors.toCollection(ArrayList::new));
		senders.add(format(sockname(unconnected)));
		List<Integer> allSizes = new ArrayList<>(sizes);
		allSizes.add(0);
		assertThat(result).as("what the Python server received")
			.containsEntry("received", String.valueOf(allSizes.size()))
			.containsEntry("sizes", join(allSizes))
			.containsEntry("sha256", String.join(",", digests))
			.containsEntry("senders", String.join(",", senders))
			.containsEntry("errors", "0")
			.containsEntry("empty_via", expectedEmptyVia());
		for (var endpoint : List.of(connected, unconnected)) {
			assertThat(endpoint.protocol().pending()).isEmpty();
			assertThat(endpoint.protocol().pendingErrors()).isEmpty();
		}
		assertThat(this.running.errors()).isEmpty();
	}

	@Test
	void javaConnectedEndpointGetsPortUnreachableOnceThePythonAsyncioServerHasExitedAndStaysUsable()
			throws Exception {
		PythonPeer first = start("udp_echo_server.py", 1);
		int port = first.port();
		InetSocketAddress serverAddress = new InetSocketAddress(HOST, port);
		var client = endpoint(RecordingDatagramProtocol::new,
				DatagramOptions.builder().remoteAddress(serverAddress).build());
		String clientAddress = format(sockname(client));

		sendFrom(client, "before");
		assertThat(next(client, first).data()).asString(StandardCharsets.US_ASCII).isEqualTo("before");
		Map<String, String> firstResult = first.result();
		// The exit closes the Python socket for sure: nothing listens on the port any more.
		assertThat(first.awaitExit()).as(first.describe()).isZero();
		assertThat(firstResult).containsEntry("received", "1").containsEntry("senders", clientAddress);

		sendFrom(client, "unreachable");
		IOException error = client.protocol().nextError();
		assertThat(error).isInstanceOf(PortUnreachableException.class);
		assertThat(this.running.call(client.transport()::isClosing)).as("closing after errorReceived").isFalse();

		// A new Python server on the same port: the same Java endpoint reaches it.
		PythonPeer second = start("udp_echo_server.py", 1, port);
		assertThat(second.port()).as(second.describe()).isEqualTo(port);
		sendFrom(client, "after");
		Received echo = next(client, second);
		assertThat(echo.data()).asString(StandardCharsets.US_ASCII).isEqualTo("after");
		assertThat(echo.sender()).isEqualTo(serverAddress);
		Map<String, String> secondResult = second.result();
		assertThat(second.awaitExit()).as(second.describe()).isZero();
		assertThat(secondResult).containsEntry("received", "1")
			.containsEntry("sizes", "5")
			.containsEntry("sha256", sha256("after".getBytes(StandardCharsets.US_ASCII)))
			.containsEntry("senders", clientAddress)
			.containsEntry("errors", "0");
		assertThat(client.protocol().pending()).as("datagrams beyond the two echoes").isEmpty();
		assertThat(client.protocol().pendingErrors()).as("errors beyond the one expected").isEmpty();
		assertThat(client.protocol().events()).containsExactly("made");
		assertThat(this.running.errors()).isEmpty();
	}

	/** Starts {@code script} from a directory of its own, so one script can run twice with separate stderr files. */
	private PythonPeer start(String script, Object... args) throws Exception {
		Path directory = Files.createDirectory(this.scripts.resolve("peer-" + this.peers.size()));
		PythonPeer peer = PythonPeer.start(PythonPeer.copyScript(script, directory), args);
		this.peers.add(peer);
		return peer;
	}

	private <P extends RecordingDatagramProtocol> TransportAndProtocol<DatagramTransport, P> endpoint(
			Supplier<P> factory, DatagramOptions options) throws Exception {
		return await(this.running.loop().createDatagramEndpoint(factory, options));
	}

	/** Waits for the endpoint's next datagram, quoting {@code peer}'s output if none comes. */
	private static Received next(TransportAndProtocol<DatagramTransport, ? extends RecordingDatagramProtocol> endpoint,
			PythonPeer peer) throws InterruptedException {
		try {
			return endpoint.protocol().next();
		}
		catch (AssertionError ex) {
			throw new AssertionError(ex.getMessage() + "; the peer: " + peer.describe(), ex);
		}
	}

	private void sendFrom(TransportAndProtocol<DatagramTransport, ?> endpoint, String text) throws Exception {
		byte[] data = text.getBytes(StandardCharsets.US_ASCII);
		this.running.run(() -> endpoint.transport().sendto(ByteBuffer.wrap(data)));
	}

	/**
	 * How the Python scripts send an empty datagram: CPython before 3.13 silently drops one in
	 * {@code DatagramTransport.sendto} (gh-113812), so they send it on a duplicate of the endpoint's socket.
	 */
	private static String expectedEmptyVia() {
		String[] parts = python3Version.split("\\.");
		int major = Integer.parseInt(parts[0]);
		int minor = Integer.parseInt(parts[1]);
		return (major > 3 || major == 3 && minor >= 13) ? "transport" : "socket";
	}

	private static InetSocketAddress sockname(TransportAndProtocol<DatagramTransport, ?> endpoint) {
		return (InetSocketAddress) endpoint.transport().getExtraInfo(ExtraInfo.SOCKNAME);
	}

	/** Formats an address as the scripts print it: {@code IP:PORT}. */
	private static String format(InetSocketAddress address) {
		return address.getAddress().getHostAddress() + ":" + address.getPort();
	}

	private static InetSocketAddress parseAddress(String address) {
		int colon = address.lastIndexOf(':');
		return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
	}

	private static String join(List<Integer> sizes) {
		return sizes.stream().map(String::valueOf).collect(Collectors.joining(","));
	}

	private static byte[] randomBytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] data) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Echoes every datagram to its sender with {@code sendto(data, addr)}, then records it. */
	static final class Echo extends RecordingDatagramProtocol {

		@Override
		public void datagramReceived(ByteBuffer data, SocketAddress addr) {
			transport().sendto(data.duplicate(), addr);
			super.datagramReceived(data, addr);
		}

	}

}
