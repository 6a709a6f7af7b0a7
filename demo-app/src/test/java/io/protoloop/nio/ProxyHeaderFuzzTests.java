package io.protoloop.nio;

import java.nio.ByteBuffer;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core's PROXY protocol header parser fuzzed with Jazzer: any bytes are a header, no header, the start of one or an
 * invalid one, never an exception; a header's length is within the specification and no prefix of it is anything
 * but incomplete; and the result does not depend on where the bytes sit in the buffer. {@link ProxyHeader} is
 * package-private, so this test is in its package; it belongs in core's tests, where it can move as it is.
 * {@code ./mvnw verify} replays the seed corpus
 * ({@code src/test/resources/io/protoloop/nio/ProxyHeaderFuzzTestsInputs}) and fuzzes for a bounded time (demo-app's pom).
 */
class ProxyHeaderFuzzTests {

	@FuzzTest(maxDuration = "20s")
	void anyBytesParseToAKindWithinTheSpecificationNeverToAnException(byte[] input) {
		ProxyHeader header = ProxyHeader.parse(ByteBuffer.wrap(input));
		byte[] padded = new byte[input.length + 3];
		System.arraycopy(input, 0, padded, 3, input.length);
		ByteBuffer offset = ByteBuffer.wrap(padded, 3, input.length);
		assertThat(ProxyHeader.parse(offset)).as("the same bytes further into a buffer").isEqualTo(header);
		assertThat(offset.position()).as("nothing consumed").isEqualTo(3);
		switch (header.kind()) {
			case HEADER -> {
				assertThat(header.length()).isPositive().isLessThanOrEqualTo(input.length)
					.isLessThanOrEqualTo(Math.max(ProxyHeader.V1_MAX, 16 + ProxyHeader.V2_MAX_PAYLOAD));
				for (int prefix : new int[] { header.length() - 1, header.length() / 2 }) {
					assertThat(ProxyHeader.parse(ByteBuffer.wrap(Arrays.copyOf(input, prefix))).kind())
						.as("%d of the header's %d bytes", prefix, header.length())
						.isEqualTo(ProxyHeader.Kind.INCOMPLETE);
				}
			}
			case NONE -> assertThat(header.length()).isZero();
			case INCOMPLETE -> assertThat(input.length).isLessThan(16 + ProxyHeader.V2_MAX_PAYLOAD);
			case INVALID -> assertThat(header.problem()).isNotBlank();
		}
	}

}
