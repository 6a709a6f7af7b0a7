package io.protoloop.boot.actuate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages a class logs during a test. In these tests both core's {@code System.Logger} and Spring's
 * commons-logging are backed by java.util.logging, so a handler on the logger of the class's name sees them.
 */
final class LogRecords extends Handler implements AutoCloseable {

	/** Held strongly: java.util.logging keeps loggers only weakly, and a collected logger loses its handler. */
	private final Logger logger;

	private final List<String> messages = new CopyOnWriteArrayList<>();

	private LogRecords(Class<?> type) {
		this.logger = Logger.getLogger(type.getName());
		setLevel(Level.ALL);
		this.logger.addHandler(this);
	}

	/** Starts keeping what {@code type} logs. */
	static LogRecords of(Class<?> type) {
		return new LogRecords(type);
	}

	/** Returns the messages so far. */
	List<String> messages() {
		return List.copyOf(this.messages);
	}

	@Override
	public void publish(LogRecord record) {
		this.messages.add(record.getMessage());
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		this.logger.removeHandler(this);
	}

}
