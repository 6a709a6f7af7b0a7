package io.protoloop.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link LoopTransportUnavailableException}: the property, its value, why the transport cannot be used,
 * and the two ways out: a transport that works everywhere, or a JVM that can run epoll.
 */
class LoopTransportUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<LoopTransportUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, LoopTransportUnavailableException cause) {
		String property = LoopTransportUnavailableException.PROPERTY;
		String description = cause.getMessage() + "\n\n    Property: " + property;
		String action = "Set " + property + " to auto (epoll where it is available, else java.nio) or nio, or run the "
				+ "application on Java 22 or later on Linux with --enable-native-access=ALL-UNNAMED (an executable jar "
				+ "can carry Enable-Native-Access: ALL-UNNAMED in its manifest instead).";
		return new FailureAnalysis(description, action, cause);
	}

}
