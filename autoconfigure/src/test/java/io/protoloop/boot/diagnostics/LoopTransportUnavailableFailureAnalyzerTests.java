package io.protoloop.boot.diagnostics;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.protoloop.loop.LoopTransport;

import static org.assertj.core.api.Assertions.assertThat;

/** The analysis of an unavailable loop transport: the property, its value and the reason, then the ways out. */
class LoopTransportUnavailableFailureAnalyzerTests {

	private static final String REASON = "it needs Java 22 or later (this is Java 17)";

	private final LoopTransportUnavailableFailureAnalyzer analyzer = new LoopTransportUnavailableFailureAnalyzer();

	@Test
	void describesThePropertyTheValueAndTheReason() {
		FailureAnalysis analysis = this.analyzer.analyze(wrapped(LoopTransport.EPOLL));
		assertThat(analysis.getDescription()).isEqualTo(
				"protoloop.loop.transport is epoll, but the event loops cannot use epoll here: " + REASON
						+ "\n\n    Property: protoloop.loop.transport");
		assertThat(analysis.getCause()).isInstanceOf(LoopTransportUnavailableException.class);
	}

	@Test
	void theActionOffersAPortableTransportOrAJvmThatRunsEpoll() {
		FailureAnalysis analysis = this.analyzer.analyze(wrapped(LoopTransport.EPOLL));
		assertThat(analysis.getAction()).isEqualTo("Set protoloop.loop.transport to auto (epoll where it is "
				+ "available, else java.nio) or nio, or run the application on Java 22 or later on Linux with "
				+ "--enable-native-access=ALL-UNNAMED (an executable jar can carry Enable-Native-Access: ALL-UNNAMED "
				+ "in its manifest instead).");
	}

	@Test
	void otherFailuresAreLeftToOtherAnalyzers() {
		assertThat(this.analyzer.analyze(new BeanCreationException("protoloopEventLoopGroup", "no"))).isNull();
	}

	/** The exception as startup reports it: the cause of the group bean's creation failure. */
	private static Throwable wrapped(LoopTransport transport) {
		return new BeanCreationException("protoloopEventLoopGroup", "Bean instantiation failed",
				new LoopTransportUnavailableException(transport, REASON));
	}

}
