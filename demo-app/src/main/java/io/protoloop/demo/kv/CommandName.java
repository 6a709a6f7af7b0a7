package io.protoloop.demo.kv;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The names of the commands the kv endpoint knows, recognised in the client's bytes whatever their case (Redis
 * ignores it) without making a string per command: a pipelined client sends hundreds of thousands a second.
 */
final class CommandName {

	/** Every known name, upper case. */
	private static final List<String> NAMES = List.of("PING", "ECHO", "SET", "GET", "DEL", "EXISTS", "INCR", "MGET",
			"MSET", "LPUSH", "LPOP", "LLEN", "DBSIZE", "FLUSHDB", "AUTH", "QUIT", "CONFIG");

	/** {@link #NAMES} as bytes, in the same order. */
	private static final byte[][] BYTES = NAMES.stream()
		.map((name) -> name.getBytes(StandardCharsets.US_ASCII))
		.toArray(byte[][]::new);

	private CommandName() {
	}

	/**
	 * Returns the known name that {@code name} spells in any case, as the constant of {@link #NAMES}, or
	 * {@code null} if it is none of them.
	 * @param name the command's first argument, as the client sent it
	 * @return the upper-case name, or {@code null}
	 */
	static String of(byte[] name) {
		for (int i = 0; i < BYTES.length; i++) {
			if (equalsIgnoringCase(BYTES[i], name)) {
				return NAMES.get(i);
			}
		}
		return null;
	}

	/** Compares an upper-case ASCII name with bytes of any case: only ASCII letters fold ('s' to 'S', not 'ſ'). */
	private static boolean equalsIgnoringCase(byte[] upper, byte[] bytes) {
		if (upper.length != bytes.length) {
			return false;
		}
		for (int i = 0; i < upper.length; i++) {
			int b = bytes[i];
			if (b >= 'a' && b <= 'z') {
				b -= 'a' - 'A';
			}
			if (b != upper[i]) {
				return false;
			}
		}
		return true;
	}

}
