package io.protoloop.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an {@link EndpointBindException}, after Boot's {@code PortInUseFailureAnalyzer}. */
class EndpointBindFailureAnalyzer extends AbstractFailureAnalyzer<EndpointBindException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EndpointBindException cause) {
		String name = cause.getEndpoint();
		String action = "Identify and stop the process that is using " + cause.getAddress()
				+ ", or configure this endpoint to use another address with protoloop.endpoints." + name
				+ ".port (0 picks a free port), .host or .path.";
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
