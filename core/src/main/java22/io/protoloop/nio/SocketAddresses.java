package io.protoloop.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Java socket addresses to and from C's {@code sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un}, the
 * way the JDK's channels map them: a wildcard address means a dual-stack IPv6 socket, IPv4-mapped IPv6 addresses
 * read back as {@link Inet4Address}, an unnamed Unix socket reads back as {@code UnixDomainSocketAddress.of("")}.
 */
final class SocketAddresses {

	/** {@code sizeof(struct sockaddr_storage)}: room for any address. */
	static final int MAX_LENGTH = 128;

	private static final ValueLayout.OfShort FAMILY = ValueLayout.JAVA_SHORT;

	private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

	private static final int PORT_OFFSET = 2;

	private static final int IN_ADDR_OFFSET = 4;

	private static final int SOCKADDR_IN_LENGTH = 16;

	private static final int IN6_ADDR_OFFSET = 8;

	private static final int SCOPE_ID_OFFSET = 24;

	private static final int SOCKADDR_IN6_LENGTH = 28;

	private static final int SUN_PATH_OFFSET = 2;

	/** {@code sizeof(sun_path)}, with its terminating NUL. */
	private static final int SUN_PATH_LENGTH = 108;

	/** How the JDK turns Unix socket paths into bytes: the platform's file name encoding. */
	private static final Charset PATH_CHARSET = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"),
			StandardCharsets.UTF_8);

	private SocketAddresses() {
	}

	/**
	 * {@return the family of a socket that binds or connects to {@code address}: a wildcard IP address takes a
	 * dual-stack {@code AF_INET6} socket where the host has IPv6, as the JDK's channels do}
	 * @param address an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
	 * @throws UnresolvedAddressException if the address is unresolved
	 * @throws UnsupportedAddressTypeException for any other kind of address
	 */
	static int family(SocketAddress address) {
		if (address instanceof UnixDomainSocketAddress) {
			return Libc.AF_UNIX;
		}
		InetAddress ip = inetAddress(address);
		if (ip instanceof Inet6Address || (ip.isAnyLocalAddress() && Libc.ipv6Available())) {
			return Libc.AF_INET6;
		}
		return Libc.AF_INET;
	}

	/**
	 * Writes {@code address} as a {@code sockaddr} of {@code family}: IPv4 addresses become IPv4-mapped ones on an
	 * {@code AF_INET6} socket, and the IPv4 wildcard its wildcard.
	 * @param address the address
	 * @param family the family of the socket it is for
	 * @param target at least {@link #MAX_LENGTH} bytes of native memory, zeroed
	 * @return the length of the {@code sockaddr}
	 * @throws IOException if a Unix path is too long, or the address cannot be one of {@code family}
	 */
	static int encode(SocketAddress address, int family, MemorySegment target) throws IOException {
		if (family == Libc.AF_UNIX) {
			return encodeUnix(address, target);
		}
		InetAddress ip = inetAddress(address);
		int port = ((InetSocketAddress) address).getPort();
		target.set(FAMILY, 0, (short) family);
		target.set(PORT, PORT_OFFSET, (short) port);
		if (family == Libc.AF_INET6) {
			if (ip instanceof Inet4Address && !ip.isAnyLocalAddress()) {
				byte[] ipv4 = ip.getAddress();
				target.set(ValueLayout.JAVA_SHORT, IN6_ADDR_OFFSET + 10, (short) 0xffff);
				MemorySegment.copy(ipv4, 0, target, ValueLayout.JAVA_BYTE, IN6_ADDR_OFFSET + 12, ipv4.length);
			}
			else if (ip instanceof Inet6Address ipv6) {
				MemorySegment.copy(ipv6.getAddress(), 0, target, ValueLayout.JAVA_BYTE, IN6_ADDR_OFFSET, 16);
				target.set(ValueLayout.JAVA_INT_UNALIGNED, SCOPE_ID_OFFSET, ipv6.getScopeId());
			}
			return SOCKADDR_IN6_LENGTH;
		}
		if (ip instanceof Inet4Address) {
			MemorySegment.copy(ip.getAddress(), 0, target, ValueLayout.JAVA_BYTE, IN_ADDR_OFFSET, 4);
		}
		else if (!ip.isAnyLocalAddress()) {
			throw new SocketException("An IPv4 socket cannot use the IPv6 address " + address);
		}
		return SOCKADDR_IN_LENGTH;
	}

	private static int encodeUnix(SocketAddress address, MemorySegment target) throws IOException {
		if (!(address instanceof UnixDomainSocketAddress unix)) {
			throw new SocketException("A Unix domain socket cannot use the address " + address);
		}
		byte[] path = unix.getPath().toString().getBytes(PATH_CHARSET);
		if (path.length >= SUN_PATH_LENGTH) {
			throw new SocketException("Unix domain socket path too long (" + path.length + " bytes, at most "
					+ (SUN_PATH_LENGTH - 1) + "): " + unix.getPath());
		}
		target.set(FAMILY, 0, (short) Libc.AF_UNIX);
		MemorySegment.copy(path, 0, target, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, path.length);
		target.set(ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET + path.length, (byte) 0);
		return SUN_PATH_OFFSET + path.length + 1;
	}

	/**
	 * Reads the {@code sockaddr} the kernel wrote.
	 * @param source the address
	 * @param length its length, as the kernel reported it
	 * @return an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
	 * @throws IOException if it is of another family
	 */
	static SocketAddress decode(MemorySegment source, int length) throws IOException {
		int family = source.get(FAMILY, 0);
		if (family == Libc.AF_UNIX) {
			return decodeUnix(source, length);
		}
		int port = Short.toUnsignedInt(source.get(PORT, PORT_OFFSET));
		if (family == Libc.AF_INET) {
			byte[] ipv4 = source.asSlice(IN_ADDR_OFFSET, 4).toArray(ValueLayout.JAVA_BYTE);
			return new InetSocketAddress(InetAddress.getByAddress(ipv4), port);
		}
		if (family == Libc.AF_INET6) {
			byte[] ipv6 = source.asSlice(IN6_ADDR_OFFSET, 16).toArray(ValueLayout.JAVA_BYTE);
			int scope = source.get(ValueLayout.JAVA_INT_UNALIGNED, SCOPE_ID_OFFSET);
			// getByAddress turns an IPv4-mapped address into an Inet4Address, as the JDK's channels report it.
			InetAddress ip = (scope != 0) ? Inet6Address.getByAddress(null, ipv6, scope)
					: InetAddress.getByAddress(ipv6);
			return new InetSocketAddress(ip, port);
		}
		throw new SocketException("Unexpected address family " + family);
	}

	/** An unnamed socket (no path, or Linux's abstract namespace) reads as the empty path. */
	private static SocketAddress decodeUnix(MemorySegment source, int length) {
		int end = SUN_PATH_OFFSET;
		while (end < length && source.get(ValueLayout.JAVA_BYTE, end) != 0) {
			end++;
		}
		byte[] path = source.asSlice(SUN_PATH_OFFSET, end - SUN_PATH_OFFSET).toArray(ValueLayout.JAVA_BYTE);
		return UnixDomainSocketAddress.of(new String(path, PATH_CHARSET));
	}

	/** The IP address of an {@code InetSocketAddress}, refused as the JDK's channels refuse it. */
	private static InetAddress inetAddress(SocketAddress address) {
		if (!(address instanceof InetSocketAddress inet)) {
			throw new UnsupportedAddressTypeException();
		}
		if (inet.isUnresolved()) {
			throw new UnresolvedAddressException();
		}
		return inet.getAddress();
	}

}
