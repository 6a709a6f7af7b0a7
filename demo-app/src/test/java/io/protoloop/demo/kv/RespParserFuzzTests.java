package io.protoloop.demo.kv;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.protoloop.demo.kv.RespParser.Limits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RESP parser fuzzed with Jazzer, under limits small enough for the fuzzer to reach: whatever the bytes and
 * however they are split, the parser gives the same commands and the same protocol error as for the bytes in one
 * piece, never another exception, and holds no more than its limits allow. {@code ./mvnw verify} replays the seed
 * corpus ({@code src/test/resources/io/protoloop/demo/kv/RespParserFuzzTestsInputs}) with the other tests, then
 * fuzzes for a bounded time (demo-app's pom); findings land in that directory and are replayed from then on.
 */
class RespParserFuzzTests {

	private static final Limits LIMITS = new Limits(64, 8, 128, 256);

	/** The most bytes fed at once: a read of a real connection is larger, but small pieces split more ways. */
	private static final int MAX_PIECE = 32;

	@FuzzTest(maxDuration = "20s")
	void anyInputSplitAnyWayGivesTheSameCommandsOrErrorAsInOnePiece(FuzzedDataProvider data) {
		int[] pieces = new int[data.consumeInt(0, 8)];
		for (int i = 0; i < pieces.length; i++) {
			pieces[i] = data.consumeInt(1, MAX_PIECE);
		}
		byte[] input = data.consumeRemainingAsBytes();
		assertThat(parse(input, pieces)).isEqualTo(parse(input, new int[0]));
	}

	/**
	 * Feeds {@code input} in pieces of the given sizes, then the rest at once, taking every command after each
	 * piece, and checks what the parser holds on the way.
	 */
	private static Outcome parse(byte[] input, int[] pieces) {
		RespParser parser = new RespParser(LIMITS);
		List<List<String>> commands = new ArrayList<>();
		int fed = 0;
		for (int i = 0; fed < input.length; i++) {
			int length = (i < pieces.length) ? Math.min(pieces[i], input.length - fed) : input.length - fed;
			parser.feed(ByteBuffer.wrap(input, fed, length));
			fed += length;
			try {
				List<byte[]> command;
				while ((command = parser.next()) != null) {
					assertThat(command).isNotEmpty();
					commands.add(command.stream().map(RespClient::raw).toList());
				}
			}
			catch (RespProtocolException ex) {
				assertThat(ex).hasMessageStartingWith("Protocol error: ");
				return new Outcome(commands, ex.getMessage());
			}
			assertThat(parser.retained()).as("held after %d of %d bytes", fed, input.length)
				.isLessThanOrEqualTo(LIMITS.maxCommandLength() + 2L * (LIMITS.maxInlineLength() + LIMITS.maxBulkLength()
						+ length + 2));
		}
		return new Outcome(commands, null);
	}

	/** What a parser made of an input: its commands, then its protocol error or {@code null}. */
	private record Outcome(List<List<String>> commands, String error) {
	}

}
