package io.protoloop.loop;

/**
 * What the exception handler is told about an error, after asyncio's context dictionary.
 * @param message what failed, never {@code null}
 * @param exception the exception, or {@code null}
 * @param transport the transport involved, or {@code null}
 * @param protocol the protocol involved, or {@code null}
 * @param callback the callback or handle that failed, or {@code null}
 */
public record ExceptionContext(String message, Throwable exception, Object transport, Object protocol,
		Object callback) {

	/**
	 * {@return a context with only a message and an exception}
	 * @param message what failed, never {@code null}
	 * @param exception the exception, or {@code null}
	 */
	public static ExceptionContext of(String message, Throwable exception) {
		return new ExceptionContext(message, exception, null, null, null);
	}

	/**
	 * {@return a one-line description: the message followed by each known part of the context}
	 */
	public String describe() {
		StringBuilder text = new StringBuilder(this.message);
		append(text, "transport", this.transport);
		append(text, "protocol", this.protocol);
		append(text, "callback", this.callback);
		return text.toString();
	}

	private static void append(StringBuilder text, String key, Object value) {
		if (value != null) {
			text.append("; ").append(key).append(": ").append(value);
		}
	}

}
