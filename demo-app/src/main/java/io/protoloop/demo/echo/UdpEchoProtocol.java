package io.protoloop.demo.echo;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.DatagramProtocol;
import io.protoloop.transport.DatagramTransport;
import io.protoloop.transport.ExtraInfo;

/**
 * UDP echo that is no reflector: sends each datagram back to its sender, except to a source that would make it
 * loop ({@link EchoLoopGuard}) or that had its share ({@link SourceRateLimiter}, {@code demo.echo.udp.*}). UDP
 * sources can be forged, so without these a datagram sent "from" the endpoint itself circulates forever, and
 * anyone can aim the echo at a victim. Drops are counted as {@code demo.echo.udp.dropped}, tag {@code reason}
 * ({@code loop} or {@code rate-limit}). One instance serves every client.
 */
@ProtocolEndpoint("echo-udp")
public class UdpEchoProtocol implements DatagramProtocol {

	private final UdpEchoProperties properties;

	private final Counter loops;

	private final Counter rateLimited;

	private DatagramTransport transport;

	private EchoLoopGuard loopGuard;

	private SourceRateLimiter rateLimiter;

	public UdpEchoProtocol(UdpEchoProperties properties, MeterRegistry registry) {
		this.properties = properties;
		this.loops = dropped(registry, "loop");
		this.rateLimited = dropped(registry, "rate-limit");
	}

	private static Counter dropped(MeterRegistry registry, String reason) {
		return Counter.builder("demo.echo.udp.dropped")
			.description("Datagrams the UDP echo did not answer")
			.tag("reason", reason)
			.register(registry);
	}

	@Override
	public void connectionMade(DatagramTransport transport) {
		this.transport = transport;
		this.loopGuard = new EchoLoopGuard((InetSocketAddress) transport.getExtraInfo(ExtraInfo.SOCKNAME));
		this.rateLimiter = new SourceRateLimiter(this.properties, transport.getLoop()::time);
	}

	@Override
	public void datagramReceived(ByteBuffer data, SocketAddress addr) {
		InetSocketAddress source = (InetSocketAddress) addr;
		if (this.loopGuard.refuses(source)) {
			this.loops.increment();
		}
		else if (!this.rateLimiter.tryAcquire(source.getAddress())) {
			this.rateLimited.increment();
		}
		else {
			this.transport.sendto(data, addr);
		}
	}

}
