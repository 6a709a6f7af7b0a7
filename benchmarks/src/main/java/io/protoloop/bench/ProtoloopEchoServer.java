package io.protoloop.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;

import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.Server;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;

/**
 * The Protoloop echo server: one event loop, a protocol that writes back the borrowed read buffer and stops
 * reading while the peer does not keep up (the same protocol as the demo application). Three variants:
 * {@code protoloop}, with no recorder (the core default), {@code protoloop-starter}, whose transports report
 * to an {@link EndpointStatistics} with no flow recorder, as every transport of a starter endpoint does when the
 * actuator module is absent, and {@code protoloop-tls}, the first over TLS ({@code ServerOptions.tls}). For
 * issue 16's write coalescing, two more answer each request in two parts, an 8-byte header then the body, which
 * together are the echo ({@link HeaderBodyEchoProtocol}): {@code protoloop-hb} with two writes and
 * {@code protoloop-hb-gather} with one {@code writelines}. And {@code protoloop-guarded}: the first with every
 * guard of a production endpoint on ({@link #GUARDS}), so the idle scenario shows what the guards hold per
 * connection.
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
		return start(backlog, recorder, tls, EchoProtocol::new, (options) -> options);
	}

	/**
	 * The guards of {@code protoloop-guarded}: idle and read timeouts (longer than any scenario), a write-buffer
	 * cap, connection limits in total and per address above what the scenarios open, and the default linger.
	 */
	static final TransportSettings GUARDS = TransportSettings.DEFAULT.withIdleTimeout(Duration.ofMinutes(10))
		.withReadTimeout(Duration.ofMinutes(5))
		.withMaxWriteBufferSize(16 * 1024 * 1024);

	/** Starts the {@code protoloop} echo server with {@link #GUARDS} and connection limits. */
	static ProtoloopEchoServer startGuarded(int backlog) throws Exception {
		return start(backlog, TransportRecorder.NONE, null, EchoProtocol::new,
				(options) -> options.settings(GUARDS).maxConnections(100_000).maxConnectionsPerAddress(50_000));
	}

	/** Starts a {@link HeaderBodyEchoProtocol} server, plain, with no recorder; {@code gather}: see the protocol. */
	static ProtoloopEchoServer startHeaderBody(int backlog, boolean gather) throws Exception {
		return start(backlog, TransportRecorder.NONE, null, () -> new HeaderBodyEchoProtocol(gather),
				(options) -> options);
	}

	private static ProtoloopEchoServer start(int backlog, TransportRecorder recorder, TlsOptions tls,
			Supplier<? extends StreamProtocol> protocol, UnaryOperator<ServerOptions.Builder> guards) throws Exception {
		EventLoopGroup group = BenchLoops.group();
		ServerOptions options = guards.apply(ServerOptions.builder().backlog(backlog))
			.hosts("127.0.0.1")
			.port(0)
			.recorder(recorder)
			.tls(tls)
			.build();
		try {
			return new ProtoloopEchoServer(group, group.createServer(protocol, options).get());
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
	static class EchoProtocol implements Protocol {

		/** The connection's transport, from {@code connectionMade}. */
		Transport transport;

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

	/**
	 * Echoes every read as a protocol that frames its replies would: the first {@value #HEADER} bytes (fewer if the
	 * read is shorter) copied into a header buffer of its own, then the rest of the borrowed read buffer as the
	 * body, so the client sees the plain echo. With {@code gather} false the two parts go out in two
	 * {@code write} calls (two sends when the socket takes them at once), with {@code gather} true in one
	 * {@code writelines} (one gathering send). Neither allocates per request. Pauses reading while its writes are
	 * paused, as the {@link EchoProtocol} it extends does.
	 */
	static final class HeaderBodyEchoProtocol extends EchoProtocol {

		/** The header's size. */
		static final int HEADER = 8;

		private final boolean gather;

		private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER);

		/** The header and the body, reused by every {@code writelines}. */
		private final ByteBuffer[] parts = new ByteBuffer[2];

		HeaderBodyEchoProtocol(boolean gather) {
			this.gather = gather;
			this.parts[0] = this.header;
		}

		@Override
		public void dataReceived(ByteBuffer data) {
			int end = data.limit();
			data.limit(data.position() + Math.min(HEADER, data.remaining()));
			this.header.clear();
			this.header.put(data).flip();
			data.limit(end);
			if (this.gather) {
				this.parts[1] = data;
				this.transport.writelines(this.parts);
				this.parts[1] = null;
			}
			else {
				this.transport.write(this.header);
				this.transport.write(data);
			}
		}

	}

}
