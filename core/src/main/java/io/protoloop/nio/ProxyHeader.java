package io.protoloop.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Parses a PROXY protocol header, v1 (text) or v2 (binary), from the start of a connection, as HAProxy's
 * specification defines it (https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt). Pure: no I/O, so it is
 * tested on the specification's examples. Host names are never resolved: only address literals are accepted.
 * @param kind what the bytes so far are
 * @param client the real client's address, or {@code null} (a LOCAL or UNKNOWN header: the proxy's own connection)
 * @param length how many bytes the header takes
 * @param problem why the header is invalid, or {@code null}
 */
record ProxyHeader(Kind kind, InetSocketAddress client, int length, String problem) {

	/** What the bytes at the start of a connection are. */
	enum Kind {

		/** A complete header. */
		HEADER,

		/** The start of a header: more bytes are needed. */
		INCOMPLETE,

		/** Not a header at all (what an optional header allows). */
		NONE,

		/** A header that breaks the specification. */
		INVALID

	}

	/** The longest v1 header, CRLF included (the specification's 107 bytes). */
	static final int V1_MAX = 107;

	/** The most a v2 header may carry after its 16 fixed bytes: addresses and TLVs beyond this are refused. */
	static final int V2_MAX_PAYLOAD = 4096;

	private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] V2_SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54,
			0x0A };

	private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

	private static final Pattern PORT = Pattern.compile("0|[1-9]\\d{0,4}");

	/** Reads the header at the start of {@code data} (between position and limit; not consumed). */
	static ProxyHeader parse(ByteBuffer data) {
		if (startsWith(data, V2_SIGNATURE)) {
			return (data.remaining() < V2_SIGNATURE.length) ? incomplete() : parseV2(data);
		}
		if (startsWith(data, V1_PREFIX)) {
			return (data.remaining() < V1_PREFIX.length) ? incomplete() : parseV1(data);
		}
		return new ProxyHeader(Kind.NONE, null, 0, null);
	}

	/** Returns {@code true} if the bytes so far agree with {@code prefix} (all of it, or as many as there are). */
	private static boolean startsWith(ByteBuffer data, byte[] prefix) {
		int n = Math.min(data.remaining(), prefix.length);
		for (int i = 0; i < n; i++) {
			if (data.get(data.position() + i) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static ProxyHeader incomplete() {
		return new ProxyHeader(Kind.INCOMPLETE, null, 0, null);
	}

	private static ProxyHeader invalid(String problem) {
		return new ProxyHeader(Kind.INVALID, null, 0, problem);
	}

	private static ProxyHeader parseV1(ByteBuffer data) {
		int end = -1;
		int limit = Math.min(data.remaining(), V1_MAX);
		for (int i = 1; i < limit; i++) {
			if (data.get(data.position() + i - 1) == '\r' && data.get(data.position() + i) == '\n') {
				end = i + 1;
				break;
			}
		}
		if (end < 0) {
			return (data.remaining() >= V1_MAX) ? invalid("a v1 header longer than " + V1_MAX + " bytes") : incomplete();
		}
		byte[] line = new byte[end - 2];
		data.get(data.position(), line);
		String[] fields = new String(line, StandardCharsets.US_ASCII).split(" ", -1);
		if (fields.length >= 2 && fields[1].equals("UNKNOWN")) {
			return new ProxyHeader(Kind.HEADER, null, end, null);
		}
		if (fields.length != 6 || !(fields[1].equals("TCP4") || fields[1].equals("TCP6"))) {
			return invalid("a v1 header must be 'PROXY TCP4|TCP6 src dst sport dport' or 'PROXY UNKNOWN'");
		}
		Pattern address = fields[1].equals("TCP4") ? IPV4 : IPV6;
		if (!address.matcher(fields[2]).matches() || !address.matcher(fields[3]).matches()
				|| !PORT.matcher(fields[4]).matches() || !PORT.matcher(fields[5]).matches()
				|| Integer.parseInt(fields[4]) > 65535 || Integer.parseInt(fields[5]) > 65535) {
			return invalid("a v1 header with malformed addresses or ports");
		}
		try {
			InetAddress source = InetAddress.getByName(fields[2]);
			return new ProxyHeader(Kind.HEADER, new InetSocketAddress(source, Integer.parseInt(fields[4])), end, null);
		}
		catch (UnknownHostException ex) {
			return invalid("a v1 header with a malformed source address");
		}
	}

	private static ProxyHeader parseV2(ByteBuffer data) {
		if (data.remaining() < 16) {
			return incomplete();
		}
		int at = data.position();
		int versionCommand = data.get(at + 12) & 0xFF;
		int familyProtocol = data.get(at + 13) & 0xFF;
		int payload = ((data.get(at + 14) & 0xFF) << 8) | (data.get(at + 15) & 0xFF);
		if ((versionCommand >> 4) != 2 || (versionCommand & 0x0F) > 1) {
			return invalid("a v2 header with version " + (versionCommand >> 4) + " and command " + (versionCommand & 0x0F));
		}
		if (payload > V2_MAX_PAYLOAD) {
			return invalid("a v2 header of " + payload + " bytes, over the " + V2_MAX_PAYLOAD + " accepted");
		}
		if (data.remaining() < 16 + payload) {
			return incomplete();
		}
		int length = 16 + payload;
		boolean local = (versionCommand & 0x0F) == 0;
		int family = familyProtocol >> 4;
		if (local || family == 0 || family == 3) {
			// LOCAL (the proxy's own health check), UNSPEC or a Unix socket: the connection's own peer stands.
			return new ProxyHeader(Kind.HEADER, null, length, null);
		}
		int addressLength = (family == 1) ? 4 : (family == 2) ? 16 : -1;
		if (addressLength < 0) {
			return invalid("a v2 header with address family " + family);
		}
		if (payload < 2 * addressLength + 4) {
			return invalid("a v2 header too short for its addresses");
		}
		byte[] source = new byte[addressLength];
		data.get(at + 16, source);
		int port = ((data.get(at + 16 + 2 * addressLength) & 0xFF) << 8) | (data.get(at + 17 + 2 * addressLength) & 0xFF);
		try {
			return new ProxyHeader(Kind.HEADER, new InetSocketAddress(InetAddress.getByAddress(source), port), length,
					null);
		}
		catch (UnknownHostException ex) {
			return invalid("a v2 header with a malformed source address");
		}
	}

}
