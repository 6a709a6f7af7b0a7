package io.protoloop.demo.kv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.protoloop.demo.kv.RespParser.Limits;

import static io.protoloop.demo.kv.RespClient.command;
import static io.protoloop.demo.kv.RespClient.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * The RESP parser alone: both command forms, however the bytes are split, pipelined, binary safe, and a clear
 * protocol error for malformed input. Commands show as lists of strings, one char per byte.
 */
@Timeout(30)
class RespParserTests {

	private static final int MAX_BULK = Limits.DEFAULT.maxBulkLength();

	private static final int MAX_LINE = Limits.DEFAULT.maxInlineLength();

	/** Every command the server knows, in each form a client may send it. */
	private static final List<List<String>> EVERY_COMMAND = List.of(List.of("PING"), List.of("PING", "hello"),
			List.of("ECHO", "hello"), List.of("SET", "key", "value"), List.of("GET", "key"),
			List.of("DEL", "key", "other"), List.of("EXISTS", "key"), List.of("INCR", "counter"),
			List.of("MGET", "key", "other"), List.of("MSET", "key", "1", "other", "2"), List.of("DBSIZE"),
			List.of("FLUSHDB"), List.of("QUIT"), List.of("CONFIG", "GET", "save"));

	@Test
	void everyCommandParsesAsAnArrayOfBulkStrings() throws Exception {
		for (List<String> expected : EVERY_COMMAND) {
			RespParser parser = new RespParser();
			parser.feed(ByteBuffer.wrap(command(expected.toArray(String[]::new))));
			assertThat(drain(parser)).containsExactly(expected);
			assertThat(parser.buffered()).isZero();
		}
	}

	@Test
	void everyCommandParsesAsAnInlineLine() throws Exception {
		for (List<String> expected : EVERY_COMMAND) {
			RespParser parser = new RespParser();
			parser.feed(ascii(String.join(" ", expected) + "\r\n"));
			assertThat(drain(parser)).containsExactly(expected);
		}
	}

	@Test
	void inlineLinesSplitOnAnyWhitespaceAndMayEndWithABareLf() throws Exception {
		RespParser parser = new RespParser();
		parser.feed(ascii("  SET\tkey  \"two words\" \r\nget key\nPING\r\r\n"));
		assertThat(drain(parser)).containsExactly(List.of("SET", "key", "\"two", "words\""), List.of("get", "key"),
				List.of("PING"));
	}

	@Test
	void blankLinesAndEmptyArraysAreSkipped() throws Exception {
		RespParser parser = new RespParser();
		parser.feed(ascii("\r\n\n   \r\n*0\r\nPING\r\n*0\r\n"));
		assertThat(drain(parser)).containsExactly(List.of("PING"));
		assertThat(parser.buffered()).isZero();
	}

	@Test
	void pipelinedCommandsComeOutOneByOneInOrder() throws Exception {
		RespParser parser = new RespParser();
		parser.feed(ByteBuffer.wrap(pipeline()));
		assertThat(drain(parser)).containsExactlyElementsOf(pipelineCommands());
	}

	@Test
	void aCommandFedOneByteAtATimeComesOutWithItsLastByte() throws Exception {
		byte[] set = command("SET", "key", "value");
		RespParser parser = new RespParser();
		for (int i = 0; i < set.length - 1; i++) {
			parser.feed(ByteBuffer.wrap(set, i, 1));
			assertThat(parser.next()).as("after %d of %d bytes", i + 1, set.length).isNull();
		}
		parser.feed(ByteBuffer.wrap(set, set.length - 1, 1));
		assertThat(strings(parser.next())).containsExactly("SET", "key", "value");
		assertThat(parser.next()).isNull();
	}

	@Test
	void pipelinedInputSplitAtEveryByteBoundaryGivesTheSameCommands() throws Exception {
		byte[] input = pipeline();
		List<List<String>> expected = pipelineCommands();
		for (int split = 0; split <= input.length; split++) {
			RespParser parser = new RespParser();
			List<List<String>> parsed = new ArrayList<>();
			parser.feed(ByteBuffer.wrap(input, 0, split));
			parsed.addAll(drain(parser));
			parser.feed(ByteBuffer.wrap(input, split, input.length - split));
			parsed.addAll(drain(parser));
			assertThat(parsed).as("split at %d", split).containsExactlyElementsOf(expected);
			assertThat(parser.buffered()).isZero();
		}
		RespParser parser = new RespParser();
		List<List<String>> parsed = new ArrayList<>();
		for (int i = 0; i < input.length; i++) {
			parser.feed(ByteBuffer.wrap(input, i, 1));
			parsed.addAll(drain(parser));
		}
		assertThat(parsed).as("one byte at a time").containsExactlyElementsOf(expected);
	}

	@Test
	void bulkStringsAreBinarySafe() throws Exception {
		byte[] value = new byte[256 + 4];
		for (int i = 0; i < 256; i++) {
			value[i] = (byte) i;
		}
		System.arraycopy(new byte[] { '\r', '\n', '$', '*' }, 0, value, 256, 4);
		byte[] key = "key\r\nwith a line break".getBytes(StandardCharsets.UTF_8);
		RespParser parser = new RespParser();
		parser.feed(ByteBuffer.wrap(command("SET".getBytes(StandardCharsets.US_ASCII), key, value)));
		parser.feed(ByteBuffer.wrap(command("SET".getBytes(StandardCharsets.US_ASCII), key, new byte[0])));
		List<byte[]> set = parser.next();
		assertThat(set.get(1)).isEqualTo(key);
		assertThat(set.get(2)).isEqualTo(value);
		assertThat(parser.next().get(2)).isEmpty();
	}

	@Test
	void inputAtTheLimitsIsAccepted() throws Exception {
		RespParser parser = new RespParser();
		byte[] largest = new byte[MAX_BULK];
		Arrays.fill(largest, (byte) 'x');
		parser.feed(ByteBuffer.wrap(command("ECHO".getBytes(StandardCharsets.US_ASCII), largest)));
		assertThat(parser.next().get(1)).isEqualTo(largest);

		String[] most = new String[Limits.DEFAULT.maxArguments()];
		Arrays.fill(most, "k");
		most[0] = "DEL";
		parser.feed(ByteBuffer.wrap(command(most)));
		assertThat(parser.next()).hasSize(most.length);

		String longest = "ECHO " + "y".repeat(MAX_LINE - "ECHO ".length() - 1) + "\r";
		parser.feed(ascii(longest + "\n"));
		assertThat(strings(parser.next())).containsExactly("ECHO", "y".repeat(MAX_LINE - "ECHO ".length() - 1));
		assertThat(parser.buffered()).isZero();
	}

	@Test
	void anArrayWhoseBulkStringsAddUpOverTheCommandLimitIsAnError() throws Exception {
		RespParser parser = new RespParser(new Limits(10, 8, 64, 16));
		parser.feed(ByteBuffer.wrap(command("MSET", "key", "0123456789")));
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(parser::next)
			.withMessage("Protocol error: too big command (limit 16 bytes)");
		RespParser withinLimit = new RespParser(new Limits(10, 8, 64, 16));
		withinLimit.feed(ByteBuffer.wrap(command("SET", "key", "012345678")));
		assertThat(withinLimit.next()).hasSize(3);
	}

	@Test
	void onlyTheIncompleteCommandStaysBuffered() throws Exception {
		RespParser parser = new RespParser();
		byte[] get = command("GET", "key");
		parser.feed(ByteBuffer.wrap(get));
		parser.feed(ByteBuffer.wrap(get, 0, 7));
		assertThat(parser.next()).isNotNull();
		assertThat(parser.next()).isNull();
		assertThat(parser.buffered()).as("\"$3\\r\", after the array's header, already parsed").isEqualTo(3);
		parser.feed(ByteBuffer.wrap(get, 7, get.length - 7));
		assertThat(strings(parser.next())).containsExactly("GET", "key");
		assertThat(parser.buffered()).isZero();
	}

	@Test
	void theBufferIsLetGoOnceEveryByteIsParsedSoAnIdleParserHoldsNothing() throws Exception {
		RespParser parser = new RespParser();
		assertThat(parser.retained()).isZero();
		byte[] set = command("SET", "key", "x".repeat(100_000));
		parser.feed(ByteBuffer.wrap(set, 0, 50_000));
		assertThat(parser.next()).isNull();
		assertThat(parser.retained()).as("a partial command").isGreaterThanOrEqualTo(50_000 - 30);
		parser.feed(ByteBuffer.wrap(set, 50_000, set.length - 50_000));
		assertThat(parser.next()).hasSize(3);
		assertThat(parser.next()).isNull();
		assertThat(parser.retained()).as("idle again").isZero();
	}

	@Test
	void inputThatArrivesWholeIsParsedInTheSharedBufferAndLeavesNothingHeld() throws Exception {
		RespParser parser = new RespParser();
		parser.feed(ByteBuffer.wrap(command("SET", "key", "value")));
		assertThat(strings(parser.next())).containsExactly("SET", "key", "value");
		parser.keepUnparsed();
		assertThat(parser.retained()).isZero();
	}

	@Test
	void whatIsLeftOfTheSharedBufferAtTheEndOfACallbackIsKeptAsTheParsersOwn() throws Exception {
		RespParser parser = new RespParser();
		byte[] get = command("GET", "key");
		ByteBuffer read = ByteBuffer.allocate(get.length + 7).put(get).put(get, 0, 7).flip();
		parser.feed(read);
		assertThat(strings(parser.next())).containsExactly("GET", "key");
		assertThat(parser.next()).isNull();
		parser.keepUnparsed();
		assertThat(parser.retained()).as("$3\r of the second GET, in a buffer of its own").isEqualTo(3);
		parser.feed(ByteBuffer.wrap(get, 7, get.length - 7));
		assertThat(strings(parser.next())).containsExactly("GET", "key");
	}

	@Test
	void parsersOfOneThreadTakingTurnsKeepTheirOwnInput() throws Exception {
		RespParser first = new RespParser();
		RespParser second = new RespParser();
		byte[] get = command("GET", "first");
		byte[] set = command("SET", "second", "value");
		// The first parser has not been told to keep its input when the second one takes the shared buffer.
		first.feed(ByteBuffer.wrap(get, 0, 10));
		assertThat(first.next()).isNull();
		second.feed(ByteBuffer.wrap(set, 0, 12));
		assertThat(second.next()).isNull();
		first.feed(ByteBuffer.wrap(get, 10, get.length - 10));
		second.feed(ByteBuffer.wrap(set, 12, set.length - 12));
		assertThat(strings(first.next())).containsExactly("GET", "first");
		assertThat(strings(second.next())).containsExactly("SET", "second", "value");
		first.feed(ByteBuffer.wrap(set));
		second.feed(ByteBuffer.wrap(get));
		assertThat(strings(first.next())).containsExactly("SET", "second", "value");
		assertThat(strings(second.next())).containsExactly("GET", "first");
	}

	@Test
	void theCompleteArgumentsOfAnIncompleteArrayAreHeld() throws Exception {
		RespParser parser = new RespParser();
		byte[] mset = command("MSET", "key", "v".repeat(10_000), "other");
		parser.feed(ByteBuffer.wrap(mset, 0, mset.length - 3));
		assertThat(parser.next()).isNull();
		assertThat(parser.retained()).as("MSET, key and the value, held apart; the buffer holds the rest")
			.isGreaterThanOrEqualTo(4 + 3 + 10_000);
		parser.release();
		assertThat(parser.retained()).isZero();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedInputs")
	void malformedInputIsAProtocolErrorAsSoonAsItArrives(String description, byte[] input, String error) {
		RespParser whole = new RespParser();
		whole.feed(ByteBuffer.wrap(input));
		assertThatExceptionOfType(RespProtocolException.class).isThrownBy(() -> drain(whole))
			.withMessage("Protocol error: " + error);

		RespParser byteByByte = new RespParser();
		try {
			for (int i = 0; i < input.length; i++) {
				byteByByte.feed(ByteBuffer.wrap(input, i, 1));
				drain(byteByByte);
			}
			fail("No protocol error after the last of %d bytes", input.length);
		}
		catch (RespProtocolException ex) {
			assertThat(ex).hasMessage("Protocol error: " + error);
		}
	}

	static Stream<Arguments> malformedInputs() {
		return Stream.of(malformed("an array element that is not a bulk string", "*1\r\n+PING\r\n",
				"expected '$', got '+'"),
				malformed("an array element that is a number", "*2\r\n$4\r\nECHO\r\n:1\r\n", "expected '$', got ':'"),
				malformed("a negative array length", "*-1\r\n", "invalid multibulk length"),
				malformed("an array over 1024 elements", "*1025\r\n", "invalid multibulk length"),
				malformed("a huge array length", "*99999999999999999999\r\n", "invalid multibulk length"),
				malformed("a non-numeric array length", "*two\r\n$4\r\nPING\r\n", "invalid multibulk length"),
				malformed("an array length with a space", "*1 \r\n$4\r\nPING\r\n", "invalid multibulk length"),
				malformed("an empty array length", "*\r\n", "invalid multibulk length"),
				malformed("an array length ending in LF only", "*1\n$4\r\nPING\r\n", "invalid multibulk length"),
				malformed("a negative bulk length", "*1\r\n$-1\r\n", "invalid bulk length"),
				malformed("a bulk string over 1 MiB", "*1\r\n$1048577\r\n", "invalid bulk length"),
				malformed("a huge bulk length", "*1\r\n$99999999999999999999\r\n", "invalid bulk length"),
				malformed("a non-numeric bulk length", "*1\r\n$4x\r\nPING\r\n", "invalid bulk length"),
				malformed("a bulk length ending in LF only", "*1\r\n$4\nPING\r\n", "invalid bulk length"),
				malformed("a bulk string longer than announced", "*1\r\n$4\r\nPINGPONG\r\n",
						"expected CRLF after bulk string of 4 bytes"),
				malformed("a bulk string ending in LF only", "*1\r\n$4\r\nPING\n\r\n",
						"expected CRLF after bulk string of 4 bytes"),
				malformed("an inline line over 64 KiB, no LF yet", "x".repeat(MAX_LINE + 1), "too big inline request"),
				malformed("an inline line over 64 KiB", "x".repeat(MAX_LINE + 1) + "\r\n", "too big inline request"),
				malformed("an array header over 64 KiB", "*" + "1".repeat(MAX_LINE), "too big mbulk count string"),
				malformed("a bulk header over 64 KiB", "*1\r\n$" + "1".repeat(MAX_LINE), "too big bulk count string"),
				malformed("an error after good commands", "PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n!",
						"expected '$', got '!'"),
				Arguments.of("a control byte where '$' belongs", new byte[] { '*', '1', '\r', '\n', 0 },
						"expected '$', got '\\x00'"));
	}

	private static Arguments malformed(String description, String input, String error) {
		return Arguments.of(description, input.getBytes(StandardCharsets.ISO_8859_1), error);
	}

	/** Commands of every form with binary values, blank lines and empty arrays between them. */
	private static byte[] pipeline() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(command("SET", "key", "line one\r\nline two"));
		bytes.writeBytes("GET key\r\n".getBytes(StandardCharsets.US_ASCII));
		bytes.writeBytes("\r\n*0\r\n".getBytes(StandardCharsets.US_ASCII));
		bytes.writeBytes(command("ECHO", ""));
		bytes.writeBytes("PING\n".getBytes(StandardCharsets.US_ASCII));
		bytes.writeBytes(command("MSET", "a", "*1\r\n$4\r\n", "b", "\0\u00ff"));
		bytes.writeBytes(command("MGET", "a", "b"));
		bytes.writeBytes(" INCR  counter \r\n".getBytes(StandardCharsets.US_ASCII));
		return bytes.toByteArray();
	}

	private static List<List<String>> pipelineCommands() {
		return List.of(List.of("SET", "key", "line one\r\nline two"), List.of("GET", "key"), List.of("ECHO", ""),
				List.of("PING"),
				List.of("MSET", "a", "*1\r\n$4\r\n", "b", raw("\0\u00ff".getBytes(StandardCharsets.UTF_8))),
				List.of("MGET", "a", "b"), List.of("INCR", "counter"));
	}

	/** Takes every complete command. */
	private static List<List<String>> drain(RespParser parser) throws RespProtocolException {
		List<List<String>> commands = new ArrayList<>();
		List<byte[]> command;
		while ((command = parser.next()) != null) {
			commands.add(strings(command));
		}
		return commands;
	}

	private static List<String> strings(List<byte[]> command) {
		return command.stream().map(RespClient::raw).toList();
	}

	private static ByteBuffer ascii(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
	}

}
