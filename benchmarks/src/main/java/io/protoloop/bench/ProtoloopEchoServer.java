package io.protoloop.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.protocol.Protocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;

/**
 * The Protoloop echo server: one event loop, a protocol that writes back the borrowed read buffer and stops
 * reading while the peer does not keep up (the same protocol as the demo application). Three variants:
 * {@code protoloop}, with no recorder (the core default), {@code protoloop-starter}, whose transports report
 * to an {@link EndpointStatistics} with no flow recorder, as every transport of a starter endpoint does when the
 * actuator module is absent, and {@code protoloop-tls}, the first over TLS ({@code ServerOptions.tls}).
 */
final class ProtoloopEchoServer implements EchoServer {

	private final EventLoopGroup group;

	private final Server server;

	private ProtoloopEchoServer(EventLoopGroup group, Server server) {
		this.group = group;
		this.server = server;
	}

	/**
	 * The system property that sets the TLS layer's delegated-task budget per loop iteration (an ISO-8601
	 * duration: {@code PT0S} sends every task to the executor, {@code PT1H} runs them all inline); pass it with
	 * {@code run.sh --server-jvm-option=-Dbench.tls.delegated-task-budget=PT0S}. Unset: the core default.
	 */
	static final String DELEGATED_TASK_BUDGET = "bench.tls.delegated-task-budget";

	/** Returns the {@code protoloop-tls} server's options over {@code context}, with {@link #DELEGATED_TASK_BUDGET}. */
	static TlsOptions tlsOptions(SSLContext context) {
		TlsOptions.Builder options = TlsOptions.builder(context);
		String budget = System.getProperty(DELEGATED_TASK_BUDGET);
		if (budget != null) {
			options.delegatedTaskBudget(Duration.parse(budget));
		}
		return options.build();
	}

	/**
	 * Starts the server on an ephemeral port of 127.0.0.1, its transports reporting to {@code recorder}, over TLS
	 * with {@code tls} or plain if it is {@code null}.
	 */
	static ProtoloopEchoServer start(int backlog, TransportRecorder recorder, TlsOptions tls) throws Exception {
		EventLoopGroup group = BenchLoops.group();
		ServerOptions options = ServerOptions.builder()
			.hosts("127.0.0.1")
			.port(0)
			.backlog(backlog)
			.recorder(recorder)
			.tls(tls)
			.build();
		try {
			return new ProtoloopEchoServer(group, group.createServer(EchoProtocol::new, options).get());
		}
		catch (Exception ex) {
			group.close();
			throw ex;
		}
	}

	@Override
	public int port() {
		return ((InetSocketAddress) this.server.addresses().get(0)).getPort();
	}

	@Override
	public long loopThreadId() throws Exception {
		return this.group.loops().get(0).submit(() -> Thread.currentThread().getId()).get();
	}

	@Override
	public int openConnections() {
		return this.server.connectionCount();
	}

	@Override
	public void close() {
		this.server.close();
		this.group.close();
	}

	/** Echoes every byte; pauses reading while its writes are paused. */
	static final class EchoProtocol implements Protocol {

		private Transport transport;

		@Override
		public void connectionMade(Transport transport) {
			this.transport = transport;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			this.transport.write(data);
		}

		@Override
		public void pauseWriting() {
			this.transport.pauseReading();
		}

		@Override
		public void resumeWriting() {
			this.transport.resumeReading();
		}

	}

}
