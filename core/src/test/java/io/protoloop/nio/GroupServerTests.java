package io.protoloop.nio;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.tcp.ServerOptions;
import io.protoloop.tcp.ConnectionOptions;
import io.protoloop.loop.LoopOptions;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A server on an {@link EventLoopGroup}: connections spread over its loops and each stays on one thread. */
@Timeout(120)
class GroupServerTests {

	private static final int CONNECTIONS = 1000;

	private static final int MESSAGE = 1024;

	/** Echoes, and checks that every callback of the connection runs on the thread that made it. */
	static final class PinnedEcho implements Protocol {

		private final Map<String, AtomicInteger> perThread;

		private final List<String> strayCallbacks;

		private Transport transport;

		private Thread thread;

		PinnedEcho(Map<String, AtomicInteger> perThread, List<String> strayCallbacks) {
			this.perThread = perThread;
			this.strayCallbacks = strayCallbacks;
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
			this.thread = Thread.currentThread();
			this.perThread.computeIfAbsent(this.thread.getName(), (name) -> new AtomicInteger()).incrementAndGet();
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			checkThread("dataReceived");
			this.transport.write(data);
		}

		@Override
		public void connectionLost(Throwable exc) {
			checkThread("connectionLost");
		}

		private void checkThread(String callback) {
			if (Thread.currentThread() != this.thread) {
				this.strayCallbacks.add(callback + " on " + Thread.currentThread().getName());
			}
		}

	}

	/** Sends one message, completes with what came back once it is all there, then closes. */
	static final class OneShotClient implements Protocol {

		private final byte[] message;

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		final CompletableFuture<byte[]> echoed = new CompletableFuture<>();

		private Transport transport;

		OneShotClient(byte[] message) {
			this.message = message;
		}

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
			transport.write(this.message);
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.received.writeBytes(bytes);
			if (this.received.size() >= this.message.length) {
				this.echoed.complete(this.received.toByteArray());
				this.transport.close();
			}
		}

		@Override
		public void connectionLost(Throwable exc) {
			this.echoed.completeExceptionally(new IllegalStateException("lost before the echo", exc));
		}

	}

	@Test
	void aThousandConcurrentConnectionsSpreadEvenlyOverTwoLoopsAndStayOnTheirThreads() throws Exception {
		Map<String, AtomicInteger> perThread = new ConcurrentHashMap<>();
		List<String> strayCallbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (EventLoopGroup servers = new EventLoopGroup(2, LoopOptions.named("server"));
				EventLoopGroup clients = new EventLoopGroup(2, LoopOptions.named("client"))) {
			Server server = await(servers.createServer(() -> new PinnedEcho(perThread, strayCallbacks),
					ServerOptions.builder().hosts("127.0.0.1").backlog(1024).build()));
			int port = ((InetSocketAddress) server.addresses().get(0)).getPort();

			List<byte[]> messages = new ArrayList<>();
			List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
			Random random = new Random(42);
			for (int i = 0; i < CONNECTIONS; i++) {
				byte[] message = new byte[MESSAGE];
				random.nextBytes(message);
				messages.add(message);
				echoes.add(clients.createConnection(() -> new OneShotClient(message), "127.0.0.1", port,
						ConnectionOptions.DEFAULT).thenCompose((pair) -> pair.protocol().echoed));
			}
			await(CompletableFuture.allOf(echoes.toArray(CompletableFuture[]::new)));

			for (int i = 0; i < CONNECTIONS; i++) {
				assertThat(Arrays.equals(echoes.get(i).join(), messages.get(i))).as("echo %d", i).isTrue();
			}
			server.close();
			await(server.waitClosed());
		}
		assertThat(perThread).containsOnlyKeys("server-0", "server-1");
		assertThat(perThread.values()).extracting(AtomicInteger::get).containsOnly(CONNECTIONS / 2);
		assertThat(strayCallbacks).isEmpty();
	}

}
