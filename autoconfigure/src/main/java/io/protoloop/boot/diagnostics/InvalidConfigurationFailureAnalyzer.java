package io.protoloop.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link InvalidConfigurationException}: what is wrong, with which property, and the fix. */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
		String description = cause.getMessage() + "\n\n    Property: " + cause.getProperty();
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
