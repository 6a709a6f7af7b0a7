package io.protoloop.demo.kv;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental parser, with no I/O, of the commands Redis clients send (RESP2): arrays of bulk strings such as
 * {@code *2\r\n$3\r\nGET\r\n$3\r\nkey\r\n}, and inline commands, a line split on spaces such as
 * {@code GET key\r\n} (what a person types into telnet; quotes are not interpreted). Feed it bytes as they arrive,
 * however they are split, then take the complete commands one by one.
 *
 * <p>Binary safe: each argument is a fresh {@code byte[]}, which may hold any bytes, CR and LF included. Input
 * over the {@link Limits} is a protocol violation, so a client cannot make a connection hold unbounded memory.
 * The buffer exists only while input waits: once every byte is parsed it is let go, so an idle connection holds
 * none. Input fed while none waits is parsed in a buffer the parsers of a thread share, so commands that arrive
 * whole cost no buffer at all; {@link #keepUnparsed()}, at the end of each callback, copies what is left of it into
 * the parser's own. Not thread safe: one per connection, used by one thread at a time.
 */
public final class RespParser {

	/** The most arguments whose list array the parser keeps for the next command. */
	private static final int KEPT_ARGUMENTS = 64;

	private static final byte[] NONE = {};

	/** The buffer the parsers of a thread share, and the parser using it: one read's worth, reused. */
	private static final ThreadLocal<Shared> SHARED = ThreadLocal.withInitial(Shared::new);

	private final Limits limits;

	/** Input not parsed yet, between {@link #start} and {@link #end}; {@link #NONE} when there is none. */
	private byte[] buffer = NONE;

	private int start;

	private int end;

	/** Whether {@link #buffer} is the thread's shared buffer, borrowed until {@link #keepUnparsed()}. */
	private boolean borrowed;

	/** How many bytes after {@link #start} are known to hold no LF, so a long line is not scanned again. */
	private int scanned;

	/** The arguments of the array being read ({@link #command}), or {@code null} between commands. */
	private List<byte[]> arguments;

	/**
	 * The list every array command is read into, so a command costs no list of its own; its array is let go after
	 * a command of more than {@link #KEPT_ARGUMENTS} arguments, so one huge MSET is not held for the connection's life.
	 */
	private final ArrayList<byte[]> command = new ArrayList<>();

	/** How many arguments the array being read announced. */
	private int expected;

	/** The announced length of the bulk string being read, or -1 before its header. */
	private int bulkLength = -1;

	/** The bulk lengths of the array being read, added up. */
	private long commandLength;

	/** The bytes of the arguments already taken out of the buffer for the array being read. */
	private long argumentBytes;

	/** Creates a parser with the {@link Limits#DEFAULT default limits}. */
	public RespParser() {
		this(Limits.DEFAULT);
	}

	public RespParser(Limits limits) {
		this.limits = limits;
	}

	/**
	 * Copies the remaining bytes of {@code data}, which may be reused once this returns: into the thread's shared
	 * buffer when no input waits, else after the input that waits.
	 */
	public void feed(ByteBuffer data) {
		int length = data.remaining();
		if (this.start == this.end) {
			borrowShared(length);
		}
		else if (this.buffer.length - this.end < length) {
			makeRoom(length);
		}
		data.get(this.buffer, this.end, length);
		this.end += length;
	}

	/**
	 * Gives back the thread's shared buffer, copying the input not parsed yet into a buffer of the parser's own:
	 * call it before the callback that fed the parser returns, as the next connection's input goes there.
	 */
	public void keepUnparsed() {
		if (!this.borrowed) {
			return;
		}
		if (this.start == this.end) {
			reset();
			return;
		}
		int unread = this.end - this.start;
		byte[] own = new byte[unread];
		System.arraycopy(this.buffer, this.start, own, 0, unread);
		giveBack();
		this.buffer = own;
		this.start = 0;
		this.end = unread;
	}

	/** Returns how many bytes of input wait unparsed; an incomplete array's complete arguments are held apart. */
	public int buffered() {
		return this.end - this.start;
	}

	/** Returns the memory this parser holds for input: its buffer and an incomplete array's complete arguments. */
	public long retained() {
		return (this.borrowed ? this.end - this.start : this.buffer.length) + this.argumentBytes;
	}

	/** Drops all input, parsed or not, when the connection ends; the parser must not be used again. */
	public void release() {
		giveBack();
		this.buffer = NONE;
		this.start = 0;
		this.end = 0;
		this.arguments = null;
		this.argumentBytes = 0;
	}

	/**
	 * Returns the next complete command, or {@code null} if the input so far holds none. Empty arrays and blank
	 * inline lines are skipped, as Redis does.
	 * @return the arguments, the command's name first; never empty. The list is the parser's own, reused by the
	 * next call (the arrays in it are not): read it before calling again
	 * @throws RespProtocolException if the input breaks the protocol; the parser must not be used again
	 */
	public List<byte[]> next() throws RespProtocolException {
		List<byte[]> command = nextCommand();
		if (this.start == this.end) {
			reset();
		}
		return command;
	}

	private List<byte[]> nextCommand() throws RespProtocolException {
		while (true) {
			if (this.arguments == null) {
				if (this.start == this.end) {
					return null;
				}
				if (this.buffer[this.start] != '*') {
					List<byte[]> inline = nextInline();
					if (inline == null || !inline.isEmpty()) {
						return inline;
					}
					continue;
				}
				int lineEnd = findLineEnd("too big mbulk count string");
				if (lineEnd < 0) {
					return null;
				}
				int count = parseLength(lineEnd, this.limits.maxArguments(), "invalid multibulk length");
				if (count == 0) {
					continue;
				}
				if (this.command.size() > KEPT_ARGUMENTS) {
					this.command.clear();
					this.command.trimToSize();
				}
				this.command.clear();
				this.arguments = this.command;
				this.expected = count;
				this.commandLength = 0;
				this.argumentBytes = 0;
			}
			while (this.arguments.size() < this.expected) {
				if (!nextBulk()) {
					return null;
				}
			}
			List<byte[]> complete = this.arguments;
			this.arguments = null;
			this.argumentBytes = 0;
			return complete;
		}
	}

	/** Reads one bulk string of the array into {@link #arguments}, or returns {@code false} if it is incomplete. */
	private boolean nextBulk() throws RespProtocolException {
		if (this.bulkLength < 0) {
			if (this.start == this.end) {
				return false;
			}
			byte type = this.buffer[this.start];
			if (type != '$') {
				throw new RespProtocolException("expected '$', got '" + printable(type) + "'");
			}
			int lineEnd = findLineEnd("too big bulk count string");
			if (lineEnd < 0) {
				return false;
			}
			int length = parseLength(lineEnd, this.limits.maxBulkLength(), "invalid bulk length");
			this.commandLength += length;
			if (this.commandLength > this.limits.maxCommandLength()) {
				throw new RespProtocolException("too big command (limit " + this.limits.maxCommandLength() + " bytes)");
			}
			this.bulkLength = length;
		}
		if (this.end - this.start < this.bulkLength + 2) {
			return false;
		}
		int dataEnd = this.start + this.bulkLength;
		if (this.buffer[dataEnd] != '\r' || this.buffer[dataEnd + 1] != '\n') {
			throw new RespProtocolException("expected CRLF after bulk string of " + this.bulkLength + " bytes");
		}
		this.arguments.add(Arrays.copyOfRange(this.buffer, this.start, dataEnd));
		this.argumentBytes += this.bulkLength;
		consumeTo(dataEnd + 2);
		this.bulkLength = -1;
		return true;
	}

	/**
	 * Reads an inline command: a line ending in LF (a CR before it is dropped), split on whitespace.
	 * @return its arguments, empty for a blank line, or {@code null} if the line is incomplete
	 */
	private List<byte[]> nextInline() throws RespProtocolException {
		int lineEnd = findLineEnd("too big inline request");
		if (lineEnd < 0) {
			return null;
		}
		List<byte[]> inline = new ArrayList<>();
		int i = this.start;
		while (i < lineEnd) {
			if (isSpace(this.buffer[i])) {
				i++;
				continue;
			}
			int wordStart = i;
			while (i < lineEnd && !isSpace(this.buffer[i])) {
				i++;
			}
			inline.add(Arrays.copyOfRange(this.buffer, wordStart, i));
		}
		consumeTo(lineEnd + 1);
		return inline;
	}

	/**
	 * Returns the index of the LF that ends the line at {@link #start}, or -1 if it has not arrived.
	 * @throws RespProtocolException if the line is longer than the inline limit, LF or not
	 */
	private int findLineEnd(String tooLong) throws RespProtocolException {
		int i = this.start + this.scanned;
		while (i < this.end && this.buffer[i] != '\n') {
			i++;
		}
		this.scanned = i - this.start;
		if (this.scanned > this.limits.maxInlineLength()) {
			throw new RespProtocolException(tooLong);
		}
		return (i < this.end) ? i : -1;
	}

	/**
	 * Parses the length in the header line at {@link #start} ({@code *} or {@code $}, decimal digits, CRLF) and
	 * consumes the line.
	 * @param lineEnd the index of the line's LF
	 * @param max the largest length allowed
	 */
	private int parseLength(int lineEnd, int max, String invalid) throws RespProtocolException {
		int digitsEnd = lineEnd - 1;
		if (digitsEnd <= this.start + 1 || this.buffer[digitsEnd] != '\r') {
			throw new RespProtocolException(invalid);
		}
		long value = 0;
		for (int i = this.start + 1; i < digitsEnd; i++) {
			int digit = this.buffer[i] - '0';
			if (digit < 0 || digit > 9) {
				throw new RespProtocolException(invalid);
			}
			value = value * 10 + digit;
			if (value > max) {
				throw new RespProtocolException(invalid);
			}
		}
		consumeTo(lineEnd + 1);
		return (int) value;
	}

	private void consumeTo(int index) {
		this.start = index;
		this.scanned = 0;
	}

	/**
	 * Makes room after {@link #end} for {@code length} more bytes: moves the unread input to the front, or grows
	 * (into a buffer of its own: the shared one is for one read).
	 */
	private void makeRoom(int length) {
		int unread = this.end - this.start;
		byte[] target = this.buffer;
		if (this.borrowed || this.buffer.length - unread < length) {
			target = new byte[Math.max(unread + length, this.borrowed ? 0 : this.buffer.length * 2)];
		}
		System.arraycopy(this.buffer, this.start, target, 0, unread);
		giveBack();
		this.buffer = target;
		this.start = 0;
		this.end = unread;
	}

	/** Takes the thread's shared buffer for input of {@code length} bytes, when none waits. */
	private void borrowShared(int length) {
		Shared shared = SHARED.get();
		if (shared.user != null && shared.user != this) {
			shared.user.keepUnparsed();
		}
		if (shared.bytes.length < length) {
			shared.bytes = new byte[Math.max(length, shared.bytes.length * 2)];
		}
		shared.user = this;
		this.borrowed = true;
		this.buffer = shared.bytes;
		this.start = 0;
		this.end = 0;
		this.scanned = 0;
	}

	/** Stops using the thread's shared buffer, if this parser was. */
	private void giveBack() {
		if (this.borrowed) {
			this.borrowed = false;
			Shared shared = SHARED.get();
			if (shared.user == this) {
				shared.user = null;
			}
		}
	}

	/** Once every byte is parsed: lets the buffer go, so a connection waiting for input holds none. */
	private void reset() {
		giveBack();
		this.buffer = NONE;
		this.start = 0;
		this.end = 0;
		this.scanned = 0;
	}

	private static boolean isSpace(byte b) {
		return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
	}

	private static String printable(byte b) {
		return (b >= 0x20 && b < 0x7F) ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF);
	}

	/** The buffer the parsers of one thread share, and which of them uses it now. */
	private static final class Shared {

		private byte[] bytes = new byte[16 * 1024];

		private RespParser user;

	}

	/**
	 * What one command may hold. Redis allows 512 MB per bulk string; a demo needs far less.
	 * @param maxBulkLength the longest bulk string, in bytes
	 * @param maxArguments the most arguments in an array
	 * @param maxInlineLength the longest line: an inline command, or an array's or a bulk string's header
	 * @param maxCommandLength the most bytes of bulk strings in one array, which bounds what a connection holds
	 */
	public record Limits(int maxBulkLength, int maxArguments, int maxInlineLength, int maxCommandLength) {

		/** 1 MiB per bulk string, 1024 arguments, 64 KiB per line and 8 MiB per command. */
		public static final Limits DEFAULT = new Limits(1024 * 1024, 1024, 64 * 1024, 8 * 1024 * 1024);

	}

}
