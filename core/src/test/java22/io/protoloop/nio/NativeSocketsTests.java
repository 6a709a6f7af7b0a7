package io.protoloop.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.loop.LoopOptions;
import io.protoloop.loop.LoopTransport;
import io.protoloop.testing.RunningLoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native sockets' system calls against JDK channels on the other end, without an epoll set: readiness is
 * awaited with {@code poll(2)}, bounded like every other wait here.
 */
@Timeout(60)
class NativeSocketsTests {

	private static final int TIMEOUT_MILLIS = 10_000;

	static final short POLLIN = 0x1;

	private static final short POLLOUT = 0x4;

	private static final MethodHandle POLL = NativeCalls.downcall("poll", FunctionDescriptor.of(ValueLayout.JAVA_INT,
			ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), false);

	private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

	@TempDir
	Path directory;

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void listensOnAnEphemeralPortAndAcceptsJdkClients() throws Exception {
		NativeListenSocket listener = closing(NativeListenSocket.listen(LOOPBACK, 0, true, false));
		InetSocketAddress address = (InetSocketAddress) listener.localAddress();
		assertThat(address.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
		assertThat(address.getPort()).isPositive();
		assertThat(listener.channel()).isSameAs(listener);
		assertThat(listener.accept()).as("nothing waiting").isNull();
		SocketChannel client = closing(SocketChannel.open(address));
		StreamSocket accepted = closing(listener.accept());
		assertThat(accepted).isNotNull();
		assertThat(accepted.extraInfo()).isSameAs(accepted);
		assertThat(accepted.remoteAddress()).isEqualTo(client.getLocalAddress());
		assertThat(accepted.localAddress()).isEqualTo(client.getRemoteAddress());
		assertThat(accepted).hasToString("NativeStreamSocket[fd=" + ((NativeSocket) accepted).fd + ", local="
				+ client.getRemoteAddress() + ", remote=" + client.getLocalAddress() + "]");
		assertThat(listener.accept()).isNull();
	}

	@Test
	void readsAndWritesBothWaysUntilEndOfStream() throws Throwable {
		NativeListenSocket listener = closing(NativeListenSocket.listen(LOOPBACK, 0, true, false));
		SocketChannel client = closing(SocketChannel.open(listener.localAddress()));
		NativeStreamSocket socket = (NativeStreamSocket) closing(listener.accept());
		socket.configure(true);
		assertThat(socket.read(ByteBuffer.allocateDirect(16))).as("nothing there yet").isZero();
		assertThatIllegalArgumentException().isThrownBy(() -> socket.read(ByteBuffer.allocate(1).asReadOnlyBuffer()));
		exchange(client, socket);
	}

	@Test
	void gathersDirectAndHeapBuffers() throws Exception {
		NativeListenSocket listener = closing(NativeListenSocket.listen(LOOPBACK, 0, true, false));
		SocketChannel client = closing(SocketChannel.open(listener.localAddress()));
		StreamSocket socket = closing(listener.accept());
		ByteBuffer[] buffers = { ascii("skipped"), direct("one,"), ascii("two,"), ByteBuffer.allocate(0),
				direct("three,").position(1), ascii("four").asReadOnlyBuffer(), ascii("skipped too") };
		assertThat(socket.write(buffers, 1, 5)).isEqualTo(17);
		assertThat(buffers).extracting(ByteBuffer::hasRemaining)
			.containsExactly(true, false, false, false, false, false, true);
		assertThat(readFully(client, 17)).isEqualTo("one,two,hree,four");
	}

	@Test
	void gatheringMoreHeapBytesThanItStagesWritesAPrefixAndAdvancesExactly() throws Exception {
		NativeListenSocket listener = closing(NativeListenSocket.listen(LOOPBACK, 0, true, false));
		SocketChannel client = closing(SocketChannel.open(listener.localAddress()));
		StreamSocket socket = closing(listener.accept());
		byte[] data = new byte[3 * ThreadScratch.STAGING_SIZE];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) (i * 31);
		}
		ByteBuffer[] buffers = { ByteBuffer.wrap(data, 0, 1000), ByteBuffer.allocateDirect(5000).put(data, 1000, 5000)
			.flip(), ByteBuffer.wrap(data, 6000, data.length - 6000) };
		long written = socket.write(buffers);
		assertThat(written).isPositive().isLessThanOrEqualTo(ThreadScratch.STAGING_SIZE + 5000);
		long advanced = 1000 - buffers[0].remaining() + 5000 - buffers[1].remaining() + data.length - 6000
				- buffers[2].remaining();
		assertThat(advanced).isEqualTo(written);
		ByteBuffer received = ByteBuffer.allocate((int) written);
		readFully(client, received);
		assertThat(received.array()).isEqualTo(java.util.Arrays.copyOf(data, (int) written));
	}

	@Test
	void connectsToAJdkServerFromABoundAddress() throws Throwable {
		ServerSocketChannel server = closing(ServerSocketChannel.open().bind(LOOPBACK));
		NativeStreamSocket socket = closing(NativeStreamSocket.open(server.getLocalAddress(), LOOPBACK));
		assertThat(socket.remoteAddress()).as("not connected yet").isNull();
		if (!socket.connect(server.getLocalAddress())) {
			awaitReady(socket, POLLOUT);
			socket.finishConnect();
		}
		socket.configure(false);
		SocketChannel accepted = closing(server.accept());
		assertThat(socket.localAddress()).isEqualTo(accepted.getRemoteAddress());
		assertThat(socket.remoteAddress()).isEqualTo(accepted.getLocalAddress()).isEqualTo(server.getLocalAddress());
		exchange(accepted, socket);
	}

	@Test
	void connectingToAClosedPortIsRefused() throws Exception {
		SocketAddress closed;
		try (ServerSocketChannel server = ServerSocketChannel.open().bind(LOOPBACK)) {
			closed = server.getLocalAddress();
		}
		NativeStreamSocket socket = closing(NativeStreamSocket.open(closed, null));
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> {
			if (!socket.connect(closed)) {
				awaitReady(socket, POLLOUT);
				socket.finishConnect();
			}
		}).withMessageStartingWith("Connection refused");
	}

	@Test
	void bindingATakenAddressFailsLikeTheJdk() throws Exception {
		ServerSocketChannel server = closing(ServerSocketChannel.open().bind(LOOPBACK));
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> NativeListenSocket.listen(server.getLocalAddress(), 0, false, false))
			.withMessageStartingWith("Address already in use");
	}

	@Test
	void aResetByThePeerFailsTheRead() throws Throwable {
		NativeListenSocket listener = closing(NativeListenSocket.listen(LOOPBACK, 0, true, false));
		SocketChannel client = SocketChannel.open(listener.localAddress());
		NativeStreamSocket socket = (NativeStreamSocket) closing(listener.accept());
		client.setOption(StandardSocketOptions.SO_LINGER, 0);
		client.close();
		awaitReady(socket, POLLIN);
		assertThatIOException().isThrownBy(() -> socket.read(ByteBuffer.allocateDirect(16)))
			.withMessageStartingWith("Connection reset by peer");
	}

	@Test
	void writingToAClosedPeerFailsWithoutKillingTheProcess() throws Throwable {
		NativeListenSocket listener = closing(NativeListenSocket.listen(LOOPBACK, 0, true, false));
		SocketChannel client = SocketChannel.open(listener.localAddress());
		NativeStreamSocket socket = (NativeStreamSocket) closing(listener.accept());
		client.close();
		assertThat(socket.write(ascii("taken before the peer's reset"))).isPositive();
		awaitReady(socket, (short) 0); // POLLERR, once the reset is in
		ByteBuffer[] buffers = { direct("more"), ascii("and more") };
		assertThatIOException().isThrownBy(() -> socket.write(buffers))
			.withMessageMatching("Connection reset by peer|Broken pipe");
		assertThatIOException().isThrownBy(() -> socket.write(ascii("still")))
			.withMessageStartingWith("Broken pipe");
	}

	@Test
	void aWildcardAddressListensDualStackAsTheJdkDoes() throws Exception {
		ServerSocketChannel jdk = closing(ServerSocketChannel.open().bind(new InetSocketAddress(0)));
		NativeListenSocket listener = closing(NativeListenSocket.listen(new InetSocketAddress(0), 0, true, false));
		InetSocketAddress address = (InetSocketAddress) listener.localAddress();
		assertThat(address.getAddress()).isEqualTo(((InetSocketAddress) jdk.getLocalAddress()).getAddress());
		SocketChannel client = closing(
				SocketChannel.open(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), address.getPort())));
		StreamSocket accepted = closing(listener.accept());
		assertThat(((InetSocketAddress) accepted.remoteAddress()).getAddress()).isInstanceOf(Inet4Address.class);
		assertThat(accepted.remoteAddress()).isEqualTo(client.getLocalAddress());
		assertThat(accepted.localAddress()).isEqualTo(client.getRemoteAddress());
	}

	@Test
	void ipv6LoopbackAddressesMatchTheJdks() throws Throwable {
		assumeTrue(Libc.ipv6Available(), "this host has no IPv6");
		InetSocketAddress ipv6Loopback = new InetSocketAddress(InetAddress.getByName("::1"), 0);
		NativeListenSocket listener = closing(NativeListenSocket.listen(ipv6Loopback, 0, true, false));
		SocketChannel client = closing(SocketChannel.open(listener.localAddress()));
		StreamSocket accepted = closing(listener.accept());
		assertThat(((InetSocketAddress) accepted.localAddress()).getAddress()).isInstanceOf(Inet6Address.class);
		assertThat(accepted.localAddress()).isEqualTo(client.getRemoteAddress()).isEqualTo(listener.localAddress());
		assertThat(accepted.remoteAddress()).isEqualTo(client.getLocalAddress());
		NativeStreamSocket socket = closing(NativeStreamSocket.open(listener.localAddress(), ipv6Loopback));
		if (!socket.connect(listener.localAddress())) {
			awaitReady(socket, POLLOUT);
			socket.finishConnect();
		}
		StreamSocket other = closing(listener.accept());
		assertThat(other.remoteAddress()).isEqualTo(socket.localAddress());
		exchange(client, accepted);
	}

	@Test
	void unixSocketsListenAcceptAndConnectWithTheJdksAddresses() throws Throwable {
		UnixDomainSocketAddress path = UnixDomainSocketAddress.of(this.directory.resolve("native.sock"));
		NativeListenSocket listener = closing(NativeListenSocket.listen(path, 0, true, true));
		assertThat(listener.localAddress()).isEqualTo(path);
		SocketChannel client = closing(SocketChannel.open(path));
		StreamSocket accepted = closing(listener.accept());
		assertThat(accepted.localAddress()).isEqualTo(path);
		assertThat(accepted.remoteAddress()).isEqualTo(UnixDomainSocketAddress.of(""))
			.isEqualTo(client.getLocalAddress());
		accepted.configure(true);
		exchange(client, accepted);

		UnixDomainSocketAddress jdkPath = UnixDomainSocketAddress.of(this.directory.resolve("jdk.sock"));
		ServerSocketChannel server = closing(ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(jdkPath));
		NativeStreamSocket socket = closing(NativeStreamSocket.open(jdkPath, null));
		if (!socket.connect(jdkPath)) {
			awaitReady(socket, POLLOUT);
			socket.finishConnect();
		}
		SocketChannel jdkAccepted = closing(server.accept());
		assertThat(socket.localAddress()).isEqualTo(jdkAccepted.getRemoteAddress());
		assertThat(socket.remoteAddress()).isEqualTo(jdkAccepted.getLocalAddress()).isEqualTo(jdkPath);
		exchange(jdkAccepted, socket);
	}

	@Test
	void aUnixPathLongerThanSunPathIsRefusedByName() {
		Path tooLong = this.directory.resolve("x".repeat(120) + ".sock");
		assertThatIOException()
			.isThrownBy(() -> NativeListenSocket.listen(UnixDomainSocketAddress.of(tooLong), 0, false, false))
			.withMessageContaining(tooLong.toString());
	}

	@Test
	void closesOnceAndRefusesUseAfterwards() throws Exception {
		NativeListenSocket listener = closing(NativeListenSocket.listen(LOOPBACK, 0, true, false));
		SocketChannel client = closing(SocketChannel.open(listener.localAddress()));
		StreamSocket socket = listener.accept();
		socket.close();
		socket.close();
		assertThat(socket.isOpen()).isFalse();
		assertThat(socket.toString()).endsWith(", closed]");
		assertThatExceptionOfType(ClosedChannelException.class).isThrownBy(() -> socket.read(ByteBuffer.allocate(1)));
		assertThatExceptionOfType(ClosedChannelException.class).isThrownBy(() -> socket.write(ascii("x")));
		assertThatExceptionOfType(ClosedChannelException.class).isThrownBy(socket::localAddress);
		assertThat(readToEnd(client)).as("what the peer reads after the close").isEmpty();
	}

	@Test
	void registeringNeedsALoopOnTheEpollTransport() throws Exception {
		NativeListenSocket listener = closing(NativeListenSocket.listen(LOOPBACK, 0, true, false));
		SelectorEventLoop loop = new SelectorEventLoop(
				LoopOptions.named("nio").withTransport(LoopTransport.NIO));
		try {
			assertThatIOException().isThrownBy(() -> listener.register(loop, SelectionKey.OP_ACCEPT, (ops) -> {
			})).withMessageContaining("epoll transport");
		}
		finally {
			loop.close();
		}
	}

	@Test
	void aLoopOnTheEpollTransportAcceptsReadsConnectsAndClosesThroughItsKeys() throws Exception {
		assumeTrue(NativeIo.unavailableReason() == null, () -> "no epoll transport: " + NativeIo.unavailableReason());
		try (RunningLoop running = new RunningLoop(
				LoopOptions.named("native-sockets").withTransport(LoopTransport.EPOLL))) {
			SelectorEventLoop loop = running.loop();
			ListenSocket listener = running.call(() -> loop.sockets().listen(LOOPBACK, 0, true, false));
			assertThat(listener).isInstanceOf(NativeListenSocket.class);
			CompletableFuture<String> received = new CompletableFuture<>();
			List<PollKey> readKeys = new ArrayList<>();
			running.run(() -> listener.register(loop, SelectionKey.OP_ACCEPT, (ops) -> failOn(received, () -> {
				StreamSocket accepted = listener.accept();
				StringBuilder text = new StringBuilder();
				readKeys.add(accepted.register(loop, SelectionKey.OP_READ, (readOps) -> failOn(received, () -> {
					ByteBuffer data = loop.readBuffer();
					if (accepted.read(data) < 0) {
						accepted.close();
						received.complete(text.toString());
					}
					else {
						text.append(StandardCharsets.US_ASCII.decode(data.flip()));
					}
				})));
			})));
			try (SocketChannel client = SocketChannel.open(running.call(listener::localAddress))) {
				client.write(ascii("ping"));
				client.shutdownOutput();
				assertThat(RunningLoop.await(received)).isEqualTo("ping");
			}
			assertThat(running.call(() -> readKeys.get(0).isValid())).as("key of the closed socket").isFalse();

			ServerSocketChannel server = closing(ServerSocketChannel.open().bind(LOOPBACK));
			CompletableFuture<SocketAddress> connected = new CompletableFuture<>();
			running.run(() -> {
				StreamSocket socket = loop.sockets().open(server.getLocalAddress(), null);
				RunningLoop.ThrowingRunnable finish = () -> {
					socket.finishConnect();
					connected.complete(socket.localAddress());
					socket.close();
				};
				if (socket.connect(server.getLocalAddress())) {
					finish.run();
				}
				else {
					socket.register(loop, SelectionKey.OP_CONNECT, (ops) -> failOn(connected, finish));
				}
			});
			SocketAddress local = RunningLoop.await(connected);
			try (SocketChannel accepted = server.accept()) {
				assertThat(accepted.getRemoteAddress()).isEqualTo(local);
			}
			running.run(listener::close);
			assertThat(running.errors()).isEmpty();
		}
	}

	/** Runs a readiness handler's work, failing {@code result} with what it throws. */
	private static void failOn(CompletableFuture<?> result, RunningLoop.ThrowingRunnable work) {
		try {
			work.run();
		}
		catch (Exception ex) {
			result.completeExceptionally(ex);
		}
	}

	/** Sends both ways between a JDK channel and a native socket, then ends each direction. */
	private void exchange(SocketChannel jdk, StreamSocket socket) throws Throwable {
		NativeSocket nativeSocket = (NativeSocket) socket;
		jdk.write(ascii("hello"));
		awaitReady(nativeSocket, POLLIN);
		ByteBuffer heap = ByteBuffer.allocate(32);
		assertThat(socket.read(heap)).isEqualTo(5);
		assertThat(new String(heap.array(), 0, heap.position(), StandardCharsets.US_ASCII)).isEqualTo("hello");
		assertThat(socket.write(direct("world"))).isEqualTo(5);
		assertThat(socket.write(ascii("!").asReadOnlyBuffer())).isEqualTo(1);
		assertThat(readFully(jdk, 6)).isEqualTo("world!");
		jdk.shutdownOutput();
		awaitReady(nativeSocket, POLLIN);
		assertThat(socket.read(ByteBuffer.allocateDirect(8))).isEqualTo(-1);
		socket.shutdownOutput();
		assertThat(readToEnd(jdk)).as("after the native end shut its output").isEmpty();
	}

	/** Waits for {@code events} on the socket's descriptor, failing after the timeout; other native tests use it. */
	static void awaitReady(NativeSocket socket, short events) throws Throwable {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment pollfd = arena.allocate(8);
			pollfd.set(ValueLayout.JAVA_INT, 0, socket.fd);
			pollfd.set(ValueLayout.JAVA_SHORT, 4, events);
			int ready = (int) POLL.invokeExact(NativeCalls.errnoSegment(), pollfd, 1L, TIMEOUT_MILLIS);
			assertThat(ready).as("poll(%s) on %s", events, socket).isEqualTo(1);
		}
	}

	/** Reads exactly {@code length} bytes from a JDK channel, bounded by the timeout. */
	private static String readFully(SocketChannel channel, int length) throws IOException {
		ByteBuffer target = ByteBuffer.allocate(length);
		readFully(channel, target);
		return new String(target.array(), StandardCharsets.US_ASCII);
	}

	private static void readFully(SocketChannel channel, ByteBuffer target) throws IOException {
		assertThat(read(channel, target)).as("bytes before end of stream").isEqualTo(target.capacity());
	}

	/** Reads a JDK channel to its end of stream, bounded by the timeout. */
	private static String readToEnd(SocketChannel channel) throws IOException {
		ByteBuffer target = ByteBuffer.allocate(1024);
		int length = read(channel, target);
		assertThat(length).as("bytes before end of stream").isNotNegative();
		return new String(target.array(), 0, length, StandardCharsets.US_ASCII);
	}

	/**
	 * Reads into {@code target} until it is full (its capacity is returned) or the stream ends (what was read
	 * is returned), failing after the timeout.
	 */
	private static int read(SocketChannel channel, ByteBuffer target) throws IOException {
		channel.configureBlocking(false);
		try (Selector selector = Selector.open()) {
			channel.register(selector, SelectionKey.OP_READ);
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
			while (target.hasRemaining()) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				assertThat(left).as("time left to read, %s bytes so far", target.position()).isPositive();
				selector.select(left);
				if (channel.read(target) < 0) {
					return target.position();
				}
			}
			return target.position();
		}
	}

	private static ByteBuffer ascii(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
	}

	private static ByteBuffer direct(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
		return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
	}

	private <T extends AutoCloseable> T closing(T resource) {
		this.resources.add(resource);
		return resource;
	}

}
