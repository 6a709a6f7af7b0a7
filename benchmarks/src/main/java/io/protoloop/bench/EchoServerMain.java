package io.protoloop.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import com.sun.management.ThreadMXBean;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.protoloop.bench.netty.NettyEchoServer;
import io.protoloop.bench.netty.NettyTransport;
import io.protoloop.bench.netty.NettyUdpEchoServer;
import io.protoloop.loop.LoopTransport;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.metrics.TransportRecorder;

/**
 * The server process: starts one echo server ({@code protoloop}, {@code protoloop-starter},
 * {@code protoloop-metrics}, {@code protoloop-guarded} (every guard on), the write-coalescing pair {@code protoloop-hb} and {@code protoloop-hb-gather},
 * {@code netty-nio}, {@code netty-epoll} or {@code netty-io_uring}; UDP: {@code protoloop-udp},
 * {@code netty-nio-udp} or {@code netty-epoll-udp}; the demo's Redis-protocol server, {@code protoloop-kv}; TLS, with
 * the key {@link BenchTls} names: {@code protoloop-tls}, {@code netty-nio-tls} or {@code netty-epoll-tls}; the native
 * backend's {@code protoloop-epoll}, {@code protoloop-udp-epoll} and {@code protoloop-kv-epoll}, which are their NIO
 * twins run with {@code -D}{@value BenchLoops#TRANSPORT}{@code =epoll}) on an ephemeral port, prints
 * {@code PORT <n>}, then answers one-line commands on stdin so the runner can look inside it without disturbing it:
 * {@code alloc} (bytes allocated so far by the loop thread), {@code conns} (open connections), {@code heap} (live
 * heap after a full GC) and {@code quit} (also on end of input). When the machine refuses a native transport
 * (Netty's, or Protoloop's epoll), it prints {@code UNAVAILABLE <reason>} instead of the port and exits.
 */
public final class EchoServerMain {

	/** What the server prints instead of its port when this machine cannot run it, followed by the reason. */
	static final String UNAVAILABLE = "UNAVAILABLE";

	/** Listen backlog of every server, so 10,000 back-to-back connects never overflow the accept queue. */
	private static final int BACKLOG = 1024;

	private EchoServerMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("usage: EchoServerMain protoloop|protoloop-starter|protoloop-metrics|protoloop-guarded|protoloop-hb|protoloop-hb-gather"
					+ "|netty-nio|netty-epoll|netty-io_uring"
					+ "|protoloop-udp|netty-nio-udp|netty-epoll-udp|protoloop-kv|protoloop-tls|netty-nio-tls|netty-epoll-tls"
					+ "|protoloop-epoll|protoloop-udp-epoll|protoloop-kv-epoll");
			System.exit(2);
		}
		String name = Report.nioTwin(args[0]);
		if (Report.nativeBackend(args[0]) && BenchLoops.transport() != LoopTransport.EPOLL) {
			throw new IllegalArgumentException(args[0] + " runs with -D" + BenchLoops.TRANSPORT + "=epoll");
		}
		NettyTransport transport = nettyTransport(name);
		String unavailable = (transport != null) ? transport.unavailability()
				: name.startsWith(Report.PROTOLOOP) ? BenchLoops.unavailableReason() : null;
		if (unavailable != null) {
			System.out.println(UNAVAILABLE + " " + unavailable);
			return;
		}
		EchoServer server = switch (name) {
			case "protoloop" -> ProtoloopEchoServer.start(BACKLOG, TransportRecorder.NONE, null);
			case "protoloop-starter" -> ProtoloopEchoServer.start(BACKLOG, new EndpointStatistics(TransportRecorder.NONE),
					null);
			case "protoloop-metrics" -> ProtoloopMetricsEchoServer.start(BACKLOG);
			case "protoloop-guarded" -> ProtoloopEchoServer.startGuarded(BACKLOG);
			case "protoloop-hb" -> ProtoloopEchoServer.startHeaderBody(BACKLOG, false);
			case "protoloop-hb-gather" -> ProtoloopEchoServer.startHeaderBody(BACKLOG, true);
			case "netty-nio", "netty-epoll", "netty-io_uring" -> NettyEchoServer.start(transport, BACKLOG, null);
			case "protoloop-tls" -> ProtoloopEchoServer.start(BACKLOG, TransportRecorder.NONE,
					ProtoloopEchoServer.tlsOptions(BenchTls.serverContext()));
			case "netty-nio-tls", "netty-epoll-tls" -> NettyEchoServer.start(transport, BACKLOG, nettyTls());
			case "protoloop-udp" -> ProtoloopUdpEchoServer.start();
			case "netty-nio-udp" -> NettyUdpEchoServer.start(false);
			case "netty-epoll-udp" -> NettyUdpEchoServer.start(true);
			case "protoloop-kv" -> ProtoloopKvServer.start(BACKLOG);
			default -> throw new IllegalArgumentException("unknown server: " + args[0]);
		};
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		long loopThread = server.loopThreadId();
		System.out.println("PORT " + server.port());
		System.out.flush();
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
		String command;
		while ((command = commands.readLine()) != null && !command.equals("quit")) {
			String reply = switch (command) {
				case "alloc" -> "ALLOC " + threads.getThreadAllocatedBytes(loopThread);
				case "conns" -> "CONNS " + server.openConnections();
				case "heap" -> "HEAP " + liveHeap();
				default -> "ERROR unknown command: " + command;
			};
			System.out.println(reply);
			System.out.flush();
		}
		server.close();
	}

	/** Returns the transport of a Netty TCP server ({@code netty-<transport>[-tls]}), or {@code null}. */
	private static NettyTransport nettyTransport(String server) {
		return switch (server) {
			case "netty-nio", "netty-nio-tls" -> NettyTransport.NIO;
			case "netty-epoll", "netty-epoll-tls" -> NettyTransport.EPOLL;
			case "netty-io_uring" -> NettyTransport.IO_URING;
			default -> null;
		};
	}

	/** Netty's TLS with the JDK's engine: the same provider, key and defaults as Protoloop's. */
	private static SslContext nettyTls() throws Exception {
		return SslContextBuilder.forServer(BenchTls.keyManagers()).sslProvider(SslProvider.JDK).build();
	}

	private static long liveHeap() {
		System.gc();
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
