package io.protoloop.nio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.protoloop.nio.ProxyHeader.Kind;

import static org.assertj.core.api.Assertions.assertThat;

/** The PROXY protocol header parser on the examples of HAProxy's specification, and on what breaks it. */
class ProxyHeaderTests {

	private static ProxyHeader parse(String text) {
		return ProxyHeader.parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
	}

	private static ProxyHeader parse(byte[] bytes) {
		return ProxyHeader.parse(ByteBuffer.wrap(bytes));
	}

	@Test
	void v1Tcp4NamesTheSourceAndTakesTheWholeLine() {
		ProxyHeader header = parse("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET / HTTP/1.1\r\n");

		assertThat(header.kind()).isEqualTo(Kind.HEADER);
		assertThat(header.client()).isEqualTo(new InetSocketAddress("192.168.0.1", 56324));
		assertThat(header.length()).isEqualTo(47);
	}

	@Test
	void v1Tcp6AndTheLongestUnknownLineFromTheSpecification() {
		String tcp6 = "PROXY TCP6 ffff:f...:ffff ffff:f...:ffff 65535 65535\r\n".replace("f...", "ffff:ffff:ffff:ffff:ffff:ffff");
		ProxyHeader header = parse(tcp6);
		assertThat(header.kind()).isEqualTo(Kind.HEADER);
		assertThat(header.client().getPort()).isEqualTo(65535);

		String worst = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
		assertThat(worst).hasSize(ProxyHeader.V1_MAX);
		assertThat(parse(worst)).satisfies((unknown) -> {
			assertThat(unknown.kind()).isEqualTo(Kind.HEADER);
			assertThat(unknown.client()).as("UNKNOWN keeps the connection's own peer").isNull();
		});
		assertThat(parse("PROXY UNKNOWN\r\n").length()).isEqualTo(15);
	}

	@Test
	void aPartialHeaderAsksForMoreAndOtherBytesAreNoHeader() {
		assertThat(parse("PROX").kind()).isEqualTo(Kind.INCOMPLETE);
		assertThat(parse("PROXY TCP4 192.168.0.1").kind()).isEqualTo(Kind.INCOMPLETE);
		assertThat(parse(new byte[] { 0x0D, 0x0A, 0x0D }).kind()).isEqualTo(Kind.INCOMPLETE);
		assertThat(parse("GET / HTTP/1.1\r\n").kind()).isEqualTo(Kind.NONE);
		assertThat(parse("").kind()).isEqualTo(Kind.INCOMPLETE);
	}

	@Test
	void malformedV1HeadersAreInvalidAndNeverResolveHostNames() {
		assertThat(parse("PROXY TCP4 localhost 192.168.0.11 56324 443\r\n").kind()).isEqualTo(Kind.INVALID);
		assertThat(parse("PROXY TCP4 192.168.0.1 192.168.0.11 65536 443\r\n").kind()).isEqualTo(Kind.INVALID);
		assertThat(parse("PROXY TCP4 256.1.1.1 192.168.0.11 1 443\r\n").kind()).isEqualTo(Kind.INVALID);
		assertThat(parse("PROXY UDP4 192.168.0.1 192.168.0.11 1 2\r\n").kind()).isEqualTo(Kind.INVALID);
		assertThat(parse("PROXY TCP4 192.168.0.1 192.168.0.11 1\r\n").kind()).isEqualTo(Kind.INVALID);
		assertThat(parse("PROXY " + "A".repeat(120)).problem()).contains("longer than 107");
	}

	private static final String V2 = "0d0a0d0a000d0a515549540a";

	@Test
	void v2Tcp4AndTcp6NameTheSourceAndSkipTheirTlvs() {
		byte[] tcp4 = HexFormat.of().parseHex(V2 + "21" + "11" + "000f" + "c0a80001" + "c0a8000b" + "dc04" + "01bb"
				+ "030000" + "ff");
		ProxyHeader header = parse(tcp4);
		assertThat(header.kind()).isEqualTo(Kind.HEADER);
		assertThat(header.client()).isEqualTo(new InetSocketAddress("192.168.0.1", 56324));
		assertThat(header.length()).isEqualTo(16 + 15);

		byte[] tcp6 = HexFormat.of().parseHex(V2 + "21" + "21" + "0024" + "20010db8000000000000000000000001"
				+ "20010db8000000000000000000000002" + "3039" + "01bb");
		assertThat(parse(tcp6).client()).isEqualTo(new InetSocketAddress("2001:db8::1", 12345));
	}

	@Test
	void v2LocalAndUnspecifiedKeepTheConnectionsOwnPeer() {
		ProxyHeader local = parse(HexFormat.of().parseHex(V2 + "20" + "00" + "0000"));
		assertThat(local.kind()).isEqualTo(Kind.HEADER);
		assertThat(local.client()).isNull();
		assertThat(local.length()).isEqualTo(16);
		assertThat(parse(HexFormat.of().parseHex(V2 + "21" + "00" + "0000")).client()).isNull();
	}

	@Test
	void brokenV2HeadersAreInvalidOrIncomplete() {
		assertThat(parse(HexFormat.of().parseHex(V2 + "31" + "11" + "000c")).kind()).isEqualTo(Kind.INVALID);
		assertThat(parse(HexFormat.of().parseHex(V2 + "22" + "11" + "000c")).kind()).isEqualTo(Kind.INVALID);
		assertThat(parse(HexFormat.of().parseHex(V2 + "21" + "11" + "0004" + "c0a80001")).problem())
			.contains("too short");
		assertThat(parse(HexFormat.of().parseHex(V2 + "21" + "11" + "ffff")).problem()).contains("over the 4096");
		assertThat(parse(HexFormat.of().parseHex(V2 + "21" + "11" + "000c" + "c0a8")).kind())
			.isEqualTo(Kind.INCOMPLETE);
	}

}
