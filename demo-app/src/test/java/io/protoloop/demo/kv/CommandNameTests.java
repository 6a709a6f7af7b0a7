package io.protoloop.demo.kv;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Command names are matched in any ASCII case, as Redis does, and nothing else matches. */
class CommandNameTests {

	@Test
	void aKnownNameInAnyCaseGivesTheUpperCaseConstant() {
		assertThat(CommandName.of(bytes("GET"))).isSameAs("GET");
		assertThat(CommandName.of(bytes("get"))).isEqualTo("GET");
		assertThat(CommandName.of(bytes("fLuShDb"))).isEqualTo("FLUSHDB");
		assertThat(CommandName.of(bytes("config"))).isEqualTo("CONFIG");
	}

	@Test
	void anythingElseIsUnknown() {
		assertThat(CommandName.of(bytes("GETS"))).isNull();
		assertThat(CommandName.of(bytes("GE"))).isNull();
		assertThat(CommandName.of(bytes(""))).isNull();
		// Only ASCII letters fold: these are one byte off 'G' and 'g' in other ranges.
		assertThat(CommandName.of(new byte[] { (byte) ('g' + 32), 'E', 'T' })).isNull();
		assertThat(CommandName.of(new byte[] { (byte) ('g' + 128), 'E', 'T' })).isNull();
		assertThat(CommandName.of(bytes("G@T"))).isNull();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
