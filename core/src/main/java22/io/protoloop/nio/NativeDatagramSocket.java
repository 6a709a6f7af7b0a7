package io.protoloop.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.util.Set;

import io.protoloop.udp.DatagramOptions;

/**
 * A UDP socket on a non-blocking descriptor that the loop's epoll set watches: the native counterpart of
 * {@link NioDatagramSocket}, with {@code recvfrom} and {@code sendto} straight from and into a direct buffer (a heap
 * buffer goes through the thread's staging area, {@link ThreadScratch}).
 * Its address buffers are its own, so a datagram costs no native allocation; a sender or destination the same as
 * the last one is neither decoded nor encoded again, as the JDK's channel caches its last sender. One thread
 * (the loop's) sends and receives. Its {@link #extraInfo()} is itself.
 */
final class NativeDatagramSocket extends NativeSocket implements DatagramSocket {

	/** The options of a UDP socket: the JDK's datagram channel has these and multicast ones. */
	private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
			StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
			StandardSocketOptions.SO_BROADCAST);

	/** Where {@code recvfrom} writes the sender's address. */
	private final MemorySegment source;

	/** Where {@code recvfrom} writes the length of {@link #source}. */
	private final MemorySegment sourceLength;

	/** The {@code sockaddr} that {@link #sender} was decoded from, {@link #senderLength} bytes of it. */
	private final MemorySegment senderSockaddr;

	private int senderLength;

	private SocketAddress sender;

	/** The {@code sockaddr} of {@link #destination}, {@link #destinationLength} bytes of it. */
	private final MemorySegment destinationSockaddr;

	private int destinationLength;

	private SocketAddress destination;

	private NativeDatagramSocket(int fd, int family) {
		super(fd, family);
		Arena arena = Arena.ofAuto();
		this.source = arena.allocate(SocketAddresses.MAX_LENGTH, ValueLayout.JAVA_LONG.byteAlignment());
		this.sourceLength = arena.allocate(ValueLayout.JAVA_INT);
		this.senderSockaddr = arena.allocate(SocketAddresses.MAX_LENGTH);
		this.destinationSockaddr = arena.allocate(SocketAddresses.MAX_LENGTH, ValueLayout.JAVA_LONG.byteAlignment());
	}

	/**
	 * Opens a UDP socket as {@code options} describe it, as {@link NioSockets#openDatagram} opens a JDK channel:
	 * with no family asked for and a wildcard address or none, a dual-stack IPv6 socket where the host has IPv6.
	 * @param options the endpoint's options, addresses resolved
	 * @param family {@link DatagramSocket#family} of the options: {@code INET}, {@code INET6} or {@code null}
	 * @return the socket, bound and connected as asked
	 * @throws IOException if it cannot be opened, bound or connected
	 */
	static NativeDatagramSocket open(DatagramOptions options, ProtocolFamily family) throws IOException {
		int af = (family == StandardProtocolFamily.INET) ? Libc.AF_INET
				: (family == StandardProtocolFamily.INET6 || Libc.ipv6Available()) ? Libc.AF_INET6 : Libc.AF_INET;
		return new NativeDatagramSocket(Libc.socket(af, Libc.SOCK_DGRAM, (fd) -> {
			if (options.reusePort()) {
				Libc.setOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1);
			}
			if (options.allowBroadcast()) {
				Libc.setOption(fd, Libc.SOL_SOCKET, Libc.SO_BROADCAST, 1);
			}
			if (DatagramSocket.binds(options)) {
				SocketAddress local = options.localAddress();
				Libc.bind(fd, af, (local != null) ? local : new InetSocketAddress(0));
			}
			if (options.remoteAddress() != null) {
				Libc.connect(fd, af, options.remoteAddress());
			}
		}), af);
	}

	@Override
	public SocketAddress receive(ByteBuffer target) throws IOException {
		if (target.isReadOnly()) {
			throw new IllegalArgumentException("Read-only buffer");
		}
		ensureOpen();
		ThreadScratch scratch = ThreadScratch.get();
		int count = Libc.recvfrom(this.fd, scratch.target(target), ThreadScratch.capacity(target), this.source,
				this.sourceLength);
		if (count < 0) {
			return null;
		}
		scratch.received(target, count);
		return sender();
	}

	/** {@return the address {@code recvfrom} just wrote, decoded unless it is the last sender's again} */
	private SocketAddress sender() throws IOException {
		int length = this.sourceLength.get(ValueLayout.JAVA_INT, 0);
		if (length != this.senderLength
				|| MemorySegment.mismatch(this.source, 0, length, this.senderSockaddr, 0, length) != -1) {
			this.sender = SocketAddresses.decode(this.source, length);
			MemorySegment.copy(this.source, 0, this.senderSockaddr, 0, length);
			this.senderLength = length;
		}
		return this.sender;
	}

	@Override
	public int send(ByteBuffer source, SocketAddress target) throws IOException {
		ensureOpen();
		MemorySegment sockaddr = MemorySegment.NULL;
		int length = 0;
		if (target != null) {
			if (!target.equals(this.destination)) {
				this.destination = null;
				this.destinationSockaddr.fill((byte) 0);
				this.destinationLength = SocketAddresses.encode(target, this.family, this.destinationSockaddr);
				this.destination = target;
			}
			sockaddr = this.destinationSockaddr;
			length = this.destinationLength;
		}
		int size = ThreadScratch.capacity(source);
		int count = Libc.sendto(this.fd, ThreadScratch.get().source(source, size), size, sockaddr, length);
		source.position(source.position() + count);
		return count;
	}

	@Override
	public NetworkChannel extraInfo() {
		return this;
	}

	/** {@return the options of a UDP socket: no {@code SO_LINGER} or {@code TCP_NODELAY}, and {@code SO_BROADCAST}} */
	@Override
	public Set<SocketOption<?>> supportedOptions() {
		return OPTIONS;
	}

}
