package io.protoloop.demo.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.Transport;

/**
 * A small Redis server (RESP2) over the shared {@link KeyValueStore}: PING, ECHO, SET, GET, DEL, EXISTS, INCR,
 * MGET, MSET, DBSIZE, FLUSHDB, QUIT, and CONFIG GET, which {@code redis-benchmark} asks before it starts. Anything
 * else gets an {@code -ERR} reply in Redis's wording; input that breaks the protocol gets
 * {@code -ERR Protocol error: ...} and the connection is closed, as Redis does.
 *
 * <p>Pipelining: a client may send many commands before reading; they run in order, their replies gathered into
 * few writes. Backpressure: when a client sends faster than it reads, the write buffer passes its high watermark,
 * and then this protocol runs no more commands and stops reading (pauseReading at pauseWriting) until the buffer
 * drains (resumeReading at resumeWriting). What is held meanwhile is bounded: the transport's write buffer, one
 * read of commands not run yet, and the reply being written.
 */
@ProtocolEndpoint("kv")
public class RespProtocol implements Protocol {

	/** Redis quotes at most this much of an unknown command's name. */
	private static final int MAX_QUOTED_NAME = 128;

	private static final byte[] EMPTY = {};

	private final KeyValueStore store;

	private final RespParser parser = new RespParser();

	private Transport transport;

	private RespWriter replies;

	private boolean writingPaused;

	public RespProtocol(KeyValueStore store) {
		this.store = store;
	}

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
		this.replies = new RespWriter(transport);
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		this.parser.feed(data);
		runCommands();
	}

	@Override
	public void pauseWriting() {
		this.writingPaused = true;
		this.transport.pauseReading();
	}

	@Override
	public void resumeWriting() {
		this.writingPaused = false;
		runCommands();
		if (!this.writingPaused) {
			this.transport.resumeReading();
		}
	}

	/**
	 * Returns how many received bytes wait to be parsed and run: no more than about one read while the client
	 * must read first, as reading is paused then. For tests and diagnostics; call it on the transport's loop.
	 */
	int bufferedInput() {
		return this.parser.buffered();
	}

	/** Runs the complete commands received so far, until the client must read first, then flushes the replies. */
	private void runCommands() {
		try {
			List<byte[]> command;
			while (!this.writingPaused && !this.transport.isClosing() && (command = this.parser.next()) != null) {
				execute(command);
			}
			this.replies.flush();
		}
		catch (RespProtocolException ex) {
			this.replies.error("ERR " + ex.getMessage());
			this.replies.flush();
			this.transport.close();
		}
	}

	private void execute(List<byte[]> args) {
		switch (nameOf(args).toUpperCase(Locale.ROOT)) {
			case "PING" -> ping(args);
			case "ECHO" -> echo(args);
			case "SET" -> set(args);
			case "GET" -> get(args);
			case "DEL" -> delete(args);
			case "EXISTS" -> exists(args);
			case "INCR" -> increment(args);
			case "MGET" -> multiGet(args);
			case "MSET" -> multiSet(args);
			case "DBSIZE" -> size(args);
			case "FLUSHDB" -> clear(args);
			case "QUIT" -> quit();
			case "CONFIG" -> config(args);
			default -> this.replies.error("ERR unknown command '" + quote(nameOf(args)) + "'");
		}
	}

	/** PING answers PONG, or its argument as a bulk string. */
	private void ping(List<byte[]> args) {
		if (!arity(args, 1, 2)) {
			return;
		}
		if (args.size() == 1) {
			this.replies.simpleString("PONG");
		}
		else {
			this.replies.bulkString(args.get(1));
		}
	}

	private void echo(List<byte[]> args) {
		if (arity(args, 2, 2)) {
			this.replies.bulkString(args.get(1));
		}
	}

	/** SET key value; Redis's options (EX, NX, ...) are not supported: a syntax error, as Redis says for a bad one. */
	private void set(List<byte[]> args) {
		if (!arity(args, 3, Integer.MAX_VALUE)) {
			return;
		}
		if (args.size() > 3) {
			this.replies.error("ERR syntax error");
			return;
		}
		this.store.set(args.get(1), args.get(2));
		this.replies.simpleString("OK");
	}

	private void get(List<byte[]> args) {
		if (arity(args, 2, 2)) {
			this.replies.bulkString(this.store.get(args.get(1)));
		}
	}

	/** DEL key...: answers how many of the keys had a value. */
	private void delete(List<byte[]> args) {
		if (!arity(args, 2, Integer.MAX_VALUE)) {
			return;
		}
		long deleted = 0;
		for (byte[] key : args.subList(1, args.size())) {
			if (this.store.delete(key)) {
				deleted++;
			}
		}
		this.replies.integer(deleted);
	}

	/** EXISTS key...: answers how many of the keys have a value, a key named twice counting twice. */
	private void exists(List<byte[]> args) {
		if (!arity(args, 2, Integer.MAX_VALUE)) {
			return;
		}
		long existing = 0;
		for (byte[] key : args.subList(1, args.size())) {
			if (this.store.exists(key)) {
				existing++;
			}
		}
		this.replies.integer(existing);
	}

	private void increment(List<byte[]> args) {
		if (!arity(args, 2, 2)) {
			return;
		}
		try {
			this.replies.integer(this.store.increment(args.get(1)));
		}
		catch (NumberFormatException ex) {
			this.replies.error("ERR value is not an integer or out of range");
		}
		catch (ArithmeticException ex) {
			this.replies.error("ERR increment or decrement would overflow");
		}
	}

	private void multiGet(List<byte[]> args) {
		if (!arity(args, 2, Integer.MAX_VALUE)) {
			return;
		}
		this.replies.arrayHeader(args.size() - 1);
		for (byte[] key : args.subList(1, args.size())) {
			this.replies.bulkString(this.store.get(key));
		}
	}

	/** MSET key value [key value ...]. */
	private void multiSet(List<byte[]> args) {
		if (args.size() < 3 || args.size() % 2 == 0) {
			wrongNumberOfArguments(args);
			return;
		}
		for (int i = 1; i < args.size(); i += 2) {
			this.store.set(args.get(i), args.get(i + 1));
		}
		this.replies.simpleString("OK");
	}

	private void size(List<byte[]> args) {
		if (arity(args, 1, 1)) {
			this.replies.integer(this.store.size());
		}
	}

	private void clear(List<byte[]> args) {
		if (arity(args, 1, 1)) {
			this.store.clear();
			this.replies.simpleString("OK");
		}
	}

	/** QUIT: OK, then the connection closes once its replies are sent; commands after it are not run. */
	private void quit() {
		this.replies.simpleString("OK");
		this.replies.flush();
		this.transport.close();
	}

	/**
	 * CONFIG GET parameter...: this server has no configuration, but redis-benchmark asks for {@code save} and
	 * {@code appendonly} before it starts and prints an error if it cannot have them. Both are answered truthfully
	 * (nothing is ever written to disk); any other parameter matches nothing and is left out, as Redis does for an
	 * unknown one.
	 */
	private void config(List<byte[]> args) {
		if (!arity(args, 2, Integer.MAX_VALUE)) {
			return;
		}
		String subcommand = new String(args.get(1), StandardCharsets.ISO_8859_1);
		if (!subcommand.equalsIgnoreCase("GET")) {
			this.replies.error("ERR unknown subcommand '" + quote(subcommand) + "'. Try CONFIG GET.");
			return;
		}
		if (!arity(args, 3, Integer.MAX_VALUE)) {
			return;
		}
		List<byte[]> found = new ArrayList<>();
		for (byte[] parameter : args.subList(2, args.size())) {
			String name = new String(parameter, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
			byte[] value = switch (name) {
				case "save" -> EMPTY;
				case "appendonly" -> bytes("no");
				default -> null;
			};
			if (value != null) {
				found.add(bytes(name));
				found.add(value);
			}
		}
		this.replies.arrayHeader(found.size());
		found.forEach(this.replies::bulkString);
	}

	/**
	 * Returns {@code true} if the command has between {@code min} and {@code max} elements, its name included;
	 * otherwise replies with Redis's error.
	 */
	private boolean arity(List<byte[]> args, int min, int max) {
		if (args.size() < min || args.size() > max) {
			wrongNumberOfArguments(args);
			return false;
		}
		return true;
	}

	/** Called for known commands only, so the name is safe to quote. */
	private void wrongNumberOfArguments(List<byte[]> args) {
		String name = nameOf(args).toLowerCase(Locale.ROOT);
		this.replies.error("ERR wrong number of arguments for '" + name + "' command");
	}

	/** Returns the command's name, one char per byte. */
	private static String nameOf(List<byte[]> args) {
		return new String(args.get(0), StandardCharsets.ISO_8859_1);
	}

	/** Makes client text safe inside an error reply: at most 128 chars, control characters as spaces. */
	private static String quote(String text) {
		int length = Math.min(text.length(), MAX_QUOTED_NAME);
		StringBuilder quoted = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			quoted.append((c < ' ' || c == 0x7F) ? ' ' : c);
		}
		return quoted.toString();
	}

	private static byte[] bytes(String ascii) {
		return ascii.getBytes(StandardCharsets.US_ASCII);
	}

}
