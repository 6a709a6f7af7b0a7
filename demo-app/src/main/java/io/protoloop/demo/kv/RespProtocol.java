package io.protoloop.demo.kv;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Transport;

/**
 * A small Redis server (RESP2) over the shared {@link KeyValueStore}: PING, ECHO, SET, GET, DEL, EXISTS, INCR,
 * MGET, MSET, LPUSH, LPOP, LLEN, DBSIZE, FLUSHDB, AUTH, QUIT, and CONFIG GET, which {@code redis-benchmark} asks
 * before it starts.
 * Anything else gets an {@code -ERR} reply in Redis's wording; input that breaks the protocol gets
 * {@code -ERR Protocol error: ...} and the connection is closed, as Redis does.
 *
 * <p>Pipelining: a client may send many commands before reading; they run in order, their replies gathered into
 * few writes. Backpressure, per reply: when a client sends faster than it reads, the write buffer passes its high
 * watermark, and then this protocol writes no more of the current reply, runs no more commands and stops reading
 * (pauseReading at pauseWriting) until the buffer drains (resumeReading at resumeWriting). A large reply
 * ({@link BulkReply}) goes on where it stopped, so what a connection buffers stays near the high watermark whatever
 * it asked for.
 *
 * <p>Limits, so no client can make the process hold much ({@link KvProperties}): the parser's per-command limits
 * and the {@link InputBudget} of all connections for input; {@code max-reply-size} per reply and
 * {@code max-output-buffer} per connection for output; {@code max-memory} for the store; and
 * {@link ClientAccess} for who may connect. Each one tripped is counted in {@link KvMetrics}.
 *
 * <p>Long because it holds every command the endpoint knows, each a few lines of arity check, store call and reply,
 * next to the connection's flow control they all share; the parsing, encoding and storing are classes of their own.
 */
@ProtocolEndpoint("kv")
public class RespProtocol implements Protocol {

	/**
	 * The largest bulk string reply written whole at once, in bytes: what one of {@link RespWriter}'s writes holds,
	 * so it passes the high watermark by at most that much. Larger ones are written as the client keeps up.
	 */
	private static final int WHOLE_REPLY = RespWriter.CAPACITY;

	/** Redis quotes at most this much of an unknown command's name. */
	private static final int MAX_QUOTED_NAME = 128;

	private static final byte[] EMPTY = {};

	/** Redis's reply to any command but AUTH and QUIT before a client that must authenticate did. */
	private static final String NOAUTH = "NOAUTH Authentication required.";

	private final KeyValueStore store;

	private final ClientAccess access;

	private final InputBudget inputBudget;

	private final KvMetrics metrics;

	private final long maxReplySize;

	private final long maxOutputBuffer;

	private final RespParser parser = new RespParser();

	private Transport transport;

	private RespWriter replies;

	/**
	 * This connection's part of the input budget, opened the first time the parser holds input past a callback:
	 * a connection whose commands arrive whole never has one, and an idle connection holds no budget bookkeeping.
	 */
	private InputBudget.Share input;

	/** What the parser held when last told to the budget. */
	private long inputHeld;

	/** The reply being written, when the client stopped keeping up in the middle of it. */
	private BulkReply pending;

	private boolean authenticated;

	/** Whether {@link ClientAccess} let the client in: only then does its input count in the budget. */
	private boolean admitted;

	public RespProtocol(KeyValueStore store, ClientAccess access, InputBudget inputBudget, KvMetrics metrics,
			KvProperties properties) {
		this.store = store;
		this.access = access;
		this.inputBudget = inputBudget;
		this.metrics = metrics;
		this.maxReplySize = properties.maxReplySize().toBytes();
		this.maxOutputBuffer = properties.maxOutputBuffer().toBytes();
	}

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
		this.replies = new RespWriter(transport, this.maxOutputBuffer, this.metrics);
		if (!this.access.admits((SocketAddress) transport.getExtraInfo(ExtraInfo.PEERNAME))) {
			this.metrics.tripped(KvGuard.PROTECTED_MODE);
			this.replies.error("DENIED Running in protected mode: no password is set (demo.kv.password), so only "
					+ "clients on the loopback interface are served. Set demo.kv.password, or demo.kv.protected-mode "
					+ "to false to serve anyone.");
			this.replies.flush();
			transport.close();
			return;
		}
		this.authenticated = !this.access.passwordRequired();
		this.admitted = true;
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		this.parser.feed(data);
		runCommands();
	}

	@Override
	public void pauseWriting() {
		this.replies.setPaused(true);
		this.transport.pauseReading();
	}

	@Override
	public void resumeWriting() {
		this.replies.setPaused(false);
		runCommands();
		if (!this.replies.isPaused()) {
			this.transport.resumeReading();
		}
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.pending = null;
		this.parser.release();
		if (this.input != null) {
			this.input.close();
		}
	}

	/**
	 * Returns how many received bytes wait to be parsed and run: no more than about one read while the client
	 * must read first, as reading is paused then. For tests and diagnostics; call it on the transport's loop.
	 */
	int bufferedInput() {
		return this.parser.buffered();
	}

	/**
	 * Runs the complete commands received so far, and writes the pending reply first, until the client must read
	 * first; then flushes the replies and tells the input budget what the parser holds.
	 */
	private void runCommands() {
		try {
			while (!this.replies.isPaused() && !this.transport.isClosing()) {
				if (this.pending != null) {
					if (!this.pending.writeTo(this.replies)) {
						break;
					}
					this.pending = null;
				}
				List<byte[]> command = this.parser.next();
				if (command == null) {
					break;
				}
				execute(command);
			}
			this.replies.flush();
		}
		catch (RespProtocolException ex) {
			this.replies.error("ERR " + ex.getMessage());
			this.replies.flush();
			this.transport.close();
			this.parser.release();
		}
		finally {
			// The next connection's input goes into the thread's shared buffer: keep what is left of this one's.
			this.parser.keepUnparsed();
		}
		holdInput();
	}

	/**
	 * Tells the input budget what the parser holds now, if that changed, opening this connection's share the first
	 * time it holds any: a share holding nothing is never revoked, so opening it late changes nothing.
	 */
	private void holdInput() {
		long held = this.parser.retained();
		if (held == this.inputHeld || !this.admitted) {
			return;
		}
		if (this.input == null) {
			this.input = this.inputBudget
				.open(() -> this.transport.getLoop().callSoonThreadsafe(this::inputBudgetExceeded));
		}
		this.inputHeld = held;
		this.input.hold(held);
	}

	/** The input budget revoked this connection's share: it held the most when all of them held too much. */
	private void inputBudgetExceeded() {
		if (this.transport.isClosing()) {
			return;
		}
		this.metrics.tripped(KvGuard.MAX_INPUT_TOTAL);
		this.pending = null;
		this.parser.release();
		this.replies.error("ERR input of all clients over demo.kv.max-input-total: closing this client, which "
				+ "held the most");
		this.replies.flush();
		this.transport.close();
	}

	private void execute(List<byte[]> args) {
		String name = CommandName.of(args.get(0));
		if (!this.authenticated && !"AUTH".equals(name) && !"QUIT".equals(name)) {
			this.replies.error(NOAUTH);
			return;
		}
		if (name == null) {
			this.replies.error("ERR unknown command '" + quote(nameOf(args)) + "'");
			return;
		}
		switch (name) {
			case "PING" -> ping(args);
			case "ECHO" -> echo(args);
			case "SET" -> set(args);
			case "GET" -> get(args);
			case "DEL" -> delete(args);
			case "EXISTS" -> exists(args);
			case "INCR" -> increment(args);
			case "MGET" -> multiGet(args);
			case "MSET" -> multiSet(args);
			case "LPUSH" -> push(args);
			case "LPOP" -> pop(args);
			case "LLEN" -> length(args);
			case "DBSIZE" -> size(args);
			case "FLUSHDB" -> clear(args);
			case "AUTH" -> authenticate(args);
			case "QUIT" -> quit();
			case "CONFIG" -> config(args);
			default -> throw new IllegalStateException("CommandName knows " + name + ", execute does not");
		}
	}

	/**
	 * Replies with one bulk string ({@code null}: the null bulk string): written at once when it is at most
	 * {@link #WHOLE_REPLY} bytes (and within the limit), with no reply object, as most replies are; else as a
	 * {@link BulkReply}.
	 */
	private void reply(byte[] value) {
		if (value == null) {
			this.replies.nullBulkString();
			return;
		}
		long size = RespWriter.bulkStringSize(value);
		if (size > WHOLE_REPLY || size > this.maxReplySize) {
			reply(BulkReply.of(value));
			return;
		}
		this.replies.bulkHeader(value.length);
		for (int offset = 0; offset < value.length;) {
			offset = this.replies.bulkData(value, offset);
		}
		this.replies.crlf();
	}

	/** Replies with bulk strings, written as the client keeps up, unless the reply is over the limit. */
	private void reply(BulkReply reply) {
		long size = reply.size();
		if (size > this.maxReplySize) {
			this.metrics.tripped(KvGuard.MAX_REPLY_SIZE);
			this.replies.error("ERR reply of " + size + " bytes is over demo.kv.max-reply-size (" + this.maxReplySize
					+ " bytes)");
			return;
		}
		this.pending = reply;
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
			reply(args.get(1));
		}
	}

	private void echo(List<byte[]> args) {
		if (arity(args, 2, 2)) {
			reply(args.get(1));
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
		try {
			this.store.set(args.get(1), args.get(2));
			this.replies.simpleString("OK");
		}
		catch (StoreFullException ex) {
			storeFull(ex);
		}
	}

	private void get(List<byte[]> args) {
		if (!arity(args, 2, 2)) {
			return;
		}
		try {
			reply(this.store.get(args.get(1)));
		}
		catch (WrongTypeException ex) {
			this.replies.error(ex.getMessage());
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
		catch (StoreFullException ex) {
			storeFull(ex);
		}
		catch (WrongTypeException ex) {
			this.replies.error(ex.getMessage());
		}
	}

	private void multiGet(List<byte[]> args) {
		if (!arity(args, 2, Integer.MAX_VALUE)) {
			return;
		}
		reply(BulkReply.array(this.store.getAll(args.subList(1, args.size()))));
	}

	/** MSET key value [key value ...]. */
	private void multiSet(List<byte[]> args) {
		if (args.size() < 3 || args.size() % 2 == 0) {
			wrongNumberOfArguments(args);
			return;
		}
		try {
			this.store.setAll(args.subList(1, args.size()));
			this.replies.simpleString("OK");
		}
		catch (StoreFullException ex) {
			storeFull(ex);
		}
	}

	/** LPUSH key element...: answers the list's length after. */
	private void push(List<byte[]> args) {
		if (!arity(args, 3, Integer.MAX_VALUE)) {
			return;
		}
		try {
			this.replies.integer(this.store.push(args.get(1), args.subList(2, args.size())));
		}
		catch (StoreFullException ex) {
			storeFull(ex);
		}
		catch (WrongTypeException ex) {
			this.replies.error(ex.getMessage());
		}
	}

	/** LPOP key (no count): the head element, or the null bulk string. */
	private void pop(List<byte[]> args) {
		if (!arity(args, 2, 2)) {
			return;
		}
		try {
			reply(this.store.pop(args.get(1)));
		}
		catch (WrongTypeException ex) {
			this.replies.error(ex.getMessage());
		}
	}

	private void length(List<byte[]> args) {
		if (!arity(args, 2, 2)) {
			return;
		}
		try {
			this.replies.integer(this.store.length(args.get(1)));
		}
		catch (WrongTypeException ex) {
			this.replies.error(ex.getMessage());
		}
	}

	/** A write that does not fit in demo.kv.max-memory: Redis's -OOM reply. */
	private void storeFull(StoreFullException ex) {
		this.metrics.tripped(KvGuard.MAX_MEMORY);
		this.replies.error(ex.getMessage());
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

	/**
	 * AUTH [username] password, as Redis 6 has it: the only user is {@code default}. Without a configured password
	 * it is an error, as in Redis.
	 */
	private void authenticate(List<byte[]> args) {
		if (!arity(args, 2, 3)) {
			return;
		}
		if (!this.access.passwordRequired()) {
			this.replies.error("ERR AUTH <password> called without any password configured for the default user. "
					+ "Are you sure your configuration is correct?");
			return;
		}
		boolean defaultUser = args.size() == 2 || Arrays.equals(args.get(1), bytes("default"));
		if (defaultUser && this.access.accepts(args.get(args.size() - 1))) {
			this.authenticated = true;
			this.replies.simpleString("OK");
		}
		else {
			this.metrics.tripped(KvGuard.WRONG_PASSWORD);
			this.replies.error("WRONGPASS invalid username-password pair or user is disabled.");
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
		reply(BulkReply.array(found));
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
