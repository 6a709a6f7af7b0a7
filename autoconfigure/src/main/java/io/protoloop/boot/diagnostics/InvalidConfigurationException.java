package io.protoloop.boot.diagnostics;

/**
 * A {@code protoloop.*} setting cannot work. Names the property at fault and the fix, which
 * {@link InvalidConfigurationFailureAnalyzer} shows when startup fails.
 */
public class InvalidConfigurationException extends RuntimeException {

	/** The property at fault. */
	private final String property;

	/** How to fix the setting. */
	private final String action;

	/**
	 * @param property the property at fault, such as {@code protoloop.endpoints.echo.port}
	 * @param problem what is wrong, naming the endpoint when there is one
	 * @param action how to fix it
	 */
	public InvalidConfigurationException(String property, String problem, String action) {
		super(problem);
		this.property = property;
		this.action = action;
	}

	/**
	 * {@return the property at fault, such as {@code protoloop.endpoints.echo.port}}
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * {@return how to fix the setting}
	 */
	public String getAction() {
		return this.action;
	}

}
