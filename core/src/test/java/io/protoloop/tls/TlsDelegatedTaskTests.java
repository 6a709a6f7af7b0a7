package io.protoloop.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.tcp.ServerOptions;
import io.protoloop.testing.RunningLoop;
import io.protoloop.testing.TestCertificates;
import io.protoloop.transport.Server;

import static io.protoloop.testing.RunningLoop.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the {@code SSLEngine}'s delegated tasks run ({@link TlsOptions#delegatedTaskBudget()}): on the loop
 * thread within the budget, on the loop's executor beyond it, and a flood of handshakes leaves established
 * connections served. The server's key manager notes the thread that picks the certificate, which the engine
 * does inside a delegated task.
 */
@Timeout(60)
class TlsDelegatedTaskTests {

	private static TestCertificates certificates;

	private final Queue<Thread> taskThreads = new ConcurrentLinkedQueue<>();

	private RunningLoop running;

	private ExecutorService clients;

	@BeforeAll
	static void makeCertificates() throws Exception {
		certificates = TestCertificates.get();
	}

	@AfterEach
	void stop() {
		if (this.clients != null) {
			this.clients.shutdownNow();
		}
		if (this.running != null) {
			this.running.close();
		}
	}

	@Test
	void withinTheBudgetTasksRunOnTheLoopThread() throws Exception {
		int port = startServer(Duration.ofHours(1), 0);
		for (int i = 0; i < 3; i++) {
			handshakeAndEcho(port);
		}
		Thread loopThread = this.running.call(Thread::currentThread);
		assertThat(this.taskThreads).hasSize(3).containsOnly(loopThread);
	}

	@Test
	void withAZeroBudgetTasksRunOnTheExecutor() throws Exception {
		int port = startServer(Duration.ZERO, 0);
		for (int i = 0; i < 3; i++) {
			handshakeAndEcho(port);
		}
		Thread loopThread = this.running.call(Thread::currentThread);
		assertThat(this.taskThreads).hasSize(3).doesNotContain(loopThread);
	}

	/**
	 * Sixteen handshakes at once whose certificate choice costs 20 ms of CPU each: with the default budget the
	 * first of an iteration runs inline and the rest go to the executor, and an established connection's echoes
	 * go on while handshakes are still pending.
	 */
	@Test
	void aFloodOfHandshakesDoesNotStopAnEstablishedConnection() throws Exception {
		int port = startServer(TlsOptions.DEFAULT_DELEGATED_TASK_BUDGET, TimeUnit.MILLISECONDS.toNanos(20));
		int flood = 16;
		this.clients = Executors.newFixedThreadPool(flood + 1);
		AtomicInteger handshakesDone = new AtomicInteger();
		AtomicInteger echoesDuringTheFlood = new AtomicInteger();
		AtomicBoolean flooding = new AtomicBoolean(true);
		try (SSLSocket established = connect(port)) {
			established.startHandshake();
			echo(established, 1);
			CountDownLatch go = new CountDownLatch(1);
			Future<?> pinger = this.clients.submit(() -> {
				go.await();
				while (flooding.get()) {
					echo(established, 2);
					if (handshakesDone.get() < flood) {
						echoesDuringTheFlood.incrementAndGet();
					}
				}
				return null;
			});
			List<Future<?>> handshakes = new java.util.ArrayList<>();
			for (int i = 0; i < flood; i++) {
				handshakes.add(this.clients.submit(() -> {
					go.await();
					handshakeAndEcho(port);
					handshakesDone.incrementAndGet();
					return null;
				}));
			}
			go.countDown();
			for (Future<?> handshake : handshakes) {
				handshake.get(30, TimeUnit.SECONDS);
			}
			flooding.set(false);
			pinger.get(30, TimeUnit.SECONDS);
		}
		Thread loopThread = this.running.call(Thread::currentThread);
		assertThat(this.taskThreads).hasSize(flood + 1).contains(loopThread)
			.as("some tasks went to the executor once the budget was spent")
			.anySatisfy((thread) -> assertThat(thread).isNotSameAs(loopThread));
		assertThat(echoesDuringTheFlood).as("echoes on the established connection while handshakes were pending")
			.hasPositiveValue();
	}

	/** Starts an echo server whose delegated tasks have {@code budget}, each certificate choice costing {@code costNanos}. */
	private int startServer(Duration budget, long costNanos) throws Exception {
		this.running = new RunningLoop("tls-tasks");
		SSLContext context = certificates.server((keys) -> new WatchingKeyManager(keys, this.taskThreads, costNanos));
		TlsOptions tls = TlsOptions.builder(context).protocols("TLSv1.3").delegatedTaskBudget(budget).build();
		Server server = await(this.running.loop().createServer(TlsTests.Echo::new,
				ServerOptions.builder().tls(tls).hosts("127.0.0.1").build()));
		return ((InetSocketAddress) server.addresses().get(0)).getPort();
	}

	private static SSLSocket connect(int port) throws Exception {
		SSLSocket socket = (SSLSocket) certificates.trustOnly().getSocketFactory().createSocket("127.0.0.1", port);
		socket.setSoTimeout(20_000);
		return socket;
	}

	/** A full handshake, then one byte echoed so the server is past its side of it. */
	private static void handshakeAndEcho(int port) throws Exception {
		try (SSLSocket socket = connect(port)) {
			socket.startHandshake();
			echo(socket, 3);
		}
	}

	private static void echo(Socket socket, int value) throws IOException {
		socket.getOutputStream().write(value);
		assertThat(socket.getInputStream().read()).isEqualTo(value);
	}

	/** Notes the thread each server handshake picks its certificate on, spending {@code costNanos} of CPU there. */
	private static final class WatchingKeyManager extends X509ExtendedKeyManager {

		private final X509ExtendedKeyManager keys;

		private final Queue<Thread> threads;

		private final long costNanos;

		WatchingKeyManager(X509ExtendedKeyManager keys, Queue<Thread> threads, long costNanos) {
			this.keys = keys;
			this.threads = threads;
			this.costNanos = costNanos;
		}

		@Override
		public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
			String alias = this.keys.chooseEngineServerAlias(keyType, issuers, engine);
			if (alias != null) {
				this.threads.add(Thread.currentThread());
				long end = System.nanoTime() + this.costNanos;
				while (System.nanoTime() < end) {
					Thread.onSpinWait(); // stands for a slow signature: CPU the task spends
				}
			}
			return alias;
		}

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			return this.keys.getClientAliases(keyType, issuers);
		}

		@Override
		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			return this.keys.chooseClientAlias(keyType, issuers, socket);
		}

		@Override
		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return this.keys.getServerAliases(keyType, issuers);
		}

		@Override
		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return this.keys.chooseServerAlias(keyType, issuers, socket);
		}

		@Override
		public X509Certificate[] getCertificateChain(String alias) {
			return this.keys.getCertificateChain(alias);
		}

		@Override
		public PrivateKey getPrivateKey(String alias) {
			return this.keys.getPrivateKey(alias);
		}

	}

}
