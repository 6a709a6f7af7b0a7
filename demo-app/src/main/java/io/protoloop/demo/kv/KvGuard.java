package io.protoloop.demo.kv;

import java.util.Locale;

/** A kv limit that a client reached: each one refused a command or closed a connection, and is counted. */
public enum KvGuard {

	/** A write was refused with {@code -OOM}: the store is full and its policy evicts nothing. */
	MAX_MEMORY,

	/** A command was refused because its reply would be larger than {@code demo.kv.max-reply-size}. */
	MAX_REPLY_SIZE,

	/** A connection was closed because its replies waiting to be sent passed {@code demo.kv.max-output-buffer}. */
	MAX_OUTPUT_BUFFER,

	/** A connection was closed because the partial input of all of them passed {@code demo.kv.max-input-total}. */
	MAX_INPUT_TOTAL,

	/** A connection from beyond the loopback interface was refused: protected mode, and no password set. */
	PROTECTED_MODE,

	/** AUTH was given a wrong password. */
	WRONG_PASSWORD;

	/** Returns the name used as the meter's tag: lowercase, dash-separated ({@code max-memory}). */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
