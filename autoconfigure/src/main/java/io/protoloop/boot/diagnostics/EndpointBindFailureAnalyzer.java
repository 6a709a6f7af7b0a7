package io.protoloop.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.protoloop.boot.EndpointKind;

/**
 * Explains an {@link EndpointBindException}, after Boot's {@code PortInUseFailureAnalyzer}. For a unix endpoint it
 * says whether a live process serves the socket file (which is never taken over) or the path is not a socket.
 */
class EndpointBindFailureAnalyzer extends AbstractFailureAnalyzer<EndpointBindException> {

	/** What core's bind failure says when a process accepts connections on the socket file. */
	private static final String SOCKET_SERVED = "a process is listening on";

	/** What core's bind failure says when the path holds something else than a socket. */
	private static final String NOT_A_SOCKET = "is not a socket";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EndpointBindException cause) {
		String property = "protoloop.endpoints." + cause.getEndpoint();
		String message = cause.getMessage();
		String action;
		if (cause.getKind() != EndpointKind.UNIX) {
			action = "Identify and stop the process that is using " + cause.getAddress()
					+ ", or configure this endpoint to use another address with " + property
					+ ".port (0 picks a free port) or .host.";
		}
		else if (message.contains(SOCKET_SERVED)) {
			action = "A running process, perhaps another instance of this application, accepts connections on "
					+ cause.getAddress() + ", and it is not taken over. Stop that process, or set " + property
					+ ".path to another socket file. (A socket file left behind by a process that died is replaced "
					+ "on its own.)";
		}
		else if (message.contains(NOT_A_SOCKET)) {
			action = "Remove " + cause.getAddress() + ", which is not a socket file, or set " + property
					+ ".path to another file.";
		}
		else {
			action = "Check that the directory of " + cause.getAddress()
					+ " exists and is writable and that the path is short enough for a socket (about 100 bytes), or"
					+ " set " + property + ".path to another file.";
		}
		return new FailureAnalysis(message, action, cause);
	}

}
