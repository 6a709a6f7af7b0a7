package io.protoloop.nio;

import io.protoloop.loop.EventLoop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Captures what a class logs through {@link System.Logger} during a test. In tests {@code System.Logger} is
 * backed by java.util.logging, so a JUL handler on the logger of the same name sees every record.
 */
final class LogCapture extends Handler implements AutoCloseable {

	/** Held strongly: java.util.logging keeps loggers only weakly, and a collected logger loses its handler. */
	private final Logger logger;

	private final boolean usedParentHandlers;

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private LogCapture(String name) {
		this.logger = Logger.getLogger(name);
		this.usedParentHandlers = this.logger.getUseParentHandlers();
		setLevel(Level.ALL);
		this.logger.addHandler(this);
		// Expected errors need not clutter the build output.
		this.logger.setUseParentHandlers(false);
	}

	/** Starts capturing the records of {@code type}'s logger. */
	static LogCapture of(Class<?> type) {
		return new LogCapture(type.getName());
	}

	/** Starts capturing the records of {@link EventLoop}'s logger. */
	static LogCapture eventLoop() {
		return new LogCapture(io.protoloop.loop.BaseEventLoop.class.getName());
	}

	@Override
	public void publish(LogRecord record) {
		this.records.add(record);
	}

	/** Returns the records so far. */
	List<LogRecord> records() {
		return List.copyOf(this.records);
	}

	/** Returns the records so far whose message contains {@code text}. */
	List<LogRecord> recordsContaining(String text) {
		return this.records.stream()
			.filter((record) -> record.getMessage() != null && record.getMessage().contains(text))
			.collect(Collectors.toList());
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		this.logger.removeHandler(this);
		this.logger.setUseParentHandlers(this.usedParentHandlers);
	}

}
