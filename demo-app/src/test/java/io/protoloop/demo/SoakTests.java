package io.protoloop.demo;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.UnixOperatingSystemMXBean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import io.protoloop.boot.context.LocalEndpointPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A soak of the demo: for {@code -Dsoak.duration} (default 10 minutes) it drives the echo endpoints with
 * connection churn, slow readers, a crowd of idle connections and datagrams, then checks that heap after a full
 * GC, direct memory, descriptors and threads are back where they were after warm-up. Opt-in: {@code ./mvnw -pl
 * demo-app -am verify -Psoak}; the default build skips it (tag {@code soak}).
 */
@Tag("soak")
@SpringBootTest(properties = { "protoloop.endpoints.echo.port=0", "protoloop.endpoints.echo.host=127.0.0.1",
		"protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-udp.host=127.0.0.1" })
class SoakTests {

	private static final Duration DURATION = Duration.parse(System.getProperty("soak.duration", "PT10M"));

	private static final int IDLE_CONNECTIONS = 500;

	@LocalEndpointPort("echo")
	int echo;

	@LocalEndpointPort("echo-udp")
	int udp;

	/** What the process holds, measured after a full GC. */
	record Footprint(long heap, long direct, long descriptors, int threads) {

		static Footprint now() {
			System.gc();
			long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
				.stream()
				.filter((pool) -> pool.getName().equals("direct"))
				.mapToLong(BufferPoolMXBean::getMemoryUsed)
				.sum();
			long descriptors = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getOpenFileDescriptorCount();
			return new Footprint(heap, direct, descriptors, Thread.activeCount());
		}

	}

	@Test
	void theDemoHoldsNothingMoreAfterChurnSlowReadersIdleCrowdsAndDatagrams() throws Exception {
		runLoad(Duration.ofSeconds(10));
		Footprint warm = Footprint.now();

		AtomicLong requests = runLoad(DURATION);
		Footprint after = Footprint.now();

		System.out.printf("soak: %s, %,d requests; after warm-up %s; after the soak %s%n", DURATION, requests.get(),
				warm, after);
		assertThat(requests.get()).isPositive();
		assertThat(after.heap() - warm.heap()).as("heap growth").isLessThan(64L * 1024 * 1024);
		assertThat(after.direct() - warm.direct()).as("direct memory growth").isLessThan(16L * 1024 * 1024);
		assertThat(after.descriptors() - warm.descriptors()).as("descriptor growth").isLessThan(50);
		assertThat(after.threads() - warm.threads()).as("thread growth").isLessThan(10);
	}

	/** Runs every kind of client until {@code duration} has passed; returns how many round trips completed. */
	private AtomicLong runLoad(Duration duration) throws Exception {
		AtomicLong requests = new AtomicLong();
		ExecutorService clients = Executors.newFixedThreadPool(4);
		List<Socket> idle = new ArrayList<>();
		try {
			for (int i = 0; i < IDLE_CONNECTIONS; i++) {
				idle.add(connect());
			}
			long end = System.nanoTime() + duration.toNanos();
			List<Future<?>> running = new ArrayList<>();
			running.add(clients.submit(() -> repeat(end, () -> churn(requests))));
			running.add(clients.submit(() -> repeat(end, () -> churn(requests))));
			running.add(clients.submit(() -> repeat(end, this::slowReader)));
			running.add(clients.submit(() -> repeat(end, () -> datagram(requests))));
			for (Future<?> client : running) {
				client.get(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS);
			}
		}
		finally {
			for (Socket socket : idle) {
				socket.close();
			}
			clients.shutdownNow();
			clients.awaitTermination(30, TimeUnit.SECONDS);
		}
		return requests;
	}

	private interface Step {

		void run() throws IOException;

	}

	private static Void repeat(long end, Step step) throws IOException {
		while (System.nanoTime() - end < 0) {
			step.run();
		}
		return null;
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket("127.0.0.1", this.echo);
		socket.setSoTimeout(30_000);
		return socket;
	}

	/** Connects, echoes one kilobyte, and closes. */
	private void churn(AtomicLong requests) throws IOException {
		try (Socket socket = connect()) {
			socket.getOutputStream().write(new byte[1024]);
			readFully(socket.getInputStream(), 1024);
			requests.incrementAndGet();
		}
	}

	/** Writes four megabytes before reading any, so the server buffers and pauses, then reads it all back. */
	private void slowReader() throws IOException {
		try (Socket socket = connect()) {
			byte[] chunk = new byte[64 * 1024];
			int total = 4 * 1024 * 1024;
			Thread writer = new Thread(() -> {
				try {
					for (int sent = 0; sent < total; sent += chunk.length) {
						socket.getOutputStream().write(chunk);
					}
				}
				catch (IOException ex) {
					// the reader below fails the step
				}
			});
			writer.start();
			readFully(socket.getInputStream(), total);
			writer.join(30_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void datagram(AtomicLong requests) throws IOException {
		try (DatagramSocket socket = new DatagramSocket()) {
			socket.setSoTimeout(5_000);
			socket.send(new DatagramPacket(new byte[512], 512, new InetSocketAddress("127.0.0.1", this.udp)));
			socket.receive(new DatagramPacket(new byte[1024], 1024));
			requests.incrementAndGet();
		}
	}

	private static void readFully(InputStream in, int count) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		for (int read = 0; read < count;) {
			int n = in.read(buffer, 0, Math.min(buffer.length, count - read));
			if (n < 0) {
				throw new IOException("EOF after " + read + " of " + count + " bytes");
			}
			read += n;
		}
	}

}
