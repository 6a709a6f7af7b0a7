package io.protoloop.demo.kv;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reply sizes the kv endpoint checks against demo.kv.max-reply-size, counted without formatting numbers. */
class RespWriterTests {

	@Test
	void digitsAreWhatTheDecimalFormTakesSignIncluded() {
		long[] values = { 0, 1, 9, 10, 99, 100, 12_345, 999_999_999L, 1_000_000_000L, Long.MAX_VALUE, -1, -9, -10,
				-12_345, Long.MIN_VALUE, Long.MIN_VALUE + 1 };
		for (long value : values) {
			assertThat(RespWriter.digits(value)).as(Long.toString(value)).isEqualTo(Long.toString(value).length());
		}
		for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
			assertThat(RespWriter.digits(power - 1)).isEqualTo(Long.toString(power - 1).length());
			assertThat(RespWriter.digits(power)).isEqualTo(Long.toString(power).length());
			assertThat(RespWriter.digits(-power)).isEqualTo(Long.toString(-power).length());
		}
	}

	@Test
	void aHeaderIsItsTypeByteDigitsAndCrlf() {
		assertThat(RespWriter.headerSize(5)).isEqualTo("$5\r\n".length());
		assertThat(RespWriter.headerSize(1024)).isEqualTo("$1024\r\n".length());
		assertThat(RespWriter.bulkStringSize(new byte[3])).isEqualTo("$3\r\nabc\r\n".length());
		assertThat(RespWriter.bulkStringSize(null)).isEqualTo("$-1\r\n".length());
	}

}
