package io.protoloop.demo.kv;

import java.nio.ByteBuffer;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

class RespParserFuzzTests {

	@FuzzTest(maxDuration = "10s")
	void anyInputGivesCommandsOrAProtocolError(FuzzedDataProvider data) {
		RespParser parser = new RespParser();
		byte[] input = data.consumeRemainingAsBytes();
		parser.feed(ByteBuffer.wrap(input));
		try {
			List<byte[]> command;
			while ((command = parser.next()) != null) {
				assertThat(command).isNotEmpty();
			}
		}
		catch (RespProtocolException ex) {
			assertThat(ex).hasMessageStartingWith("Protocol error: ");
		}
	}

}
