package io.protoloop.boot.test.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import io.protoloop.boot.test.EndpointClient;
import io.protoloop.boot.test.EndpointClients;
import io.protoloop.boot.test.ProtocolEndpointTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** What a test reads when the protocol does not do what it expects: the endpoint, the problem, what arrived. */
@ProtocolEndpointTest("commands")
@Import(Greeting.class)
@Timeout(30)
class EndpointClientFailureTests {

	/** Waits that are meant to run out: short, as nothing is coming. */
	private static final Duration SHORT = Duration.ofMillis(200);

	@Autowired
	EndpointClients clients;

	@Test
	void aLineThatNeverEndsTimesOutShowingWhatArrived() {
		try (EndpointClient client = this.clients.connect("commands").timeout(SHORT)) {
			client.readLine();
			client.write("PARTIAL\n");

			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::readLine)
				.withMessage("Endpoint 'commands' sent no \"\\n\" within 200ms; received and not yet read: "
						+ "\"no line end\"");
		}
	}

	@Test
	void anEndOfStreamThatDoesNotComeTimesOut() {
		try (EndpointClient client = this.clients.connect("commands").timeout(SHORT)) {
			client.readLine();
			client.write("QUIET\n");

			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::expectEof)
				.withMessage("Endpoint 'commands' did not end the stream within 200ms; received and not yet read: "
						+ "nothing");
		}
	}

	@Test
	void bytesWhereTheEndOfStreamWasExpectedAreShownEscaped() {
		try (EndpointClient client = this.clients.connect("commands")) {
			client.readLine();
			client.write("NOPE\n");

			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::expectEof)
				.withMessageStartingWith("Endpoint 'commands' sent ")
				.withMessageContaining("where the end of the stream was expected")
				.withMessageContaining("\"ERR unknown command 'NOPE'\\r\\n\"");
		}
	}

	@Test
	void readingPastTheEndOfTheStreamSaysTheStreamEnded() {
		try (EndpointClient client = this.clients.connect("commands")) {
			assertThat(client.readLine()).isEqualTo("hello");
			client.write("BYE\n");

			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.readExactly(100))
				.withMessage("Endpoint 'commands' ended the stream, and sent 5 of the 100 bytes expected; received "
						+ "and not yet read: \"bye\\r\\n\"");
		}
	}

	@Test
	void readExactlyAndReadUntilLeaveTheRestForTheNextRead() {
		try (EndpointClient client = this.clients.connect("commands")) {
			client.write("X\nBYE\n");

			assertThat(new String(client.readExactly(3))).isEqualTo("hel");
			assertThat(client.readUntil("\r\n")).isEqualTo("lo\r\n");
			assertThat(client.readLine()).isEqualTo("ERR unknown command 'X'");
			assertThat(client.readLine()).isEqualTo("bye");
			client.expectEof();
		}
	}

}
