package io.protoloop.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.protoloop.boot.actuate.metrics.ProtoloopMeters;
import io.protoloop.boot.context.LocalEndpointPort;
import io.protoloop.demo.echo.EchoProtocol;
import io.protoloop.nio.EventLoopGroup;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's Actuator over HTTP, as a dashboard or an operator sees it. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(60)
class ActuatorHttpTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	int httpPort;

	@LocalEndpointPort("echo")
	int echoPort;

	@Autowired
	EventLoopGroup group;

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void prometheusExposesEveryDocumentedMeterOfEveryKindOfEndpoint() throws Exception {
		String scrape = get("/actuator/prometheus").body();

		for (ProtoloopMeters meter : ProtoloopMeters.values()) {
			assertThat(scrape).as(meter.meterName()).contains("# TYPE " + meter.meterName().replace('.', '_'));
		}
		assertThat(scrape).contains("endpoint=\"echo\",kind=\"tcp\"")
			.contains("endpoint=\"echo-udp\",kind=\"udp\"")
			.contains("endpoint=\"echo-unix\",kind=\"unix\"")
			.contains("endpoint=\"kv\",kind=\"tcp\"")
			.contains("demo_probe_round_trip_seconds");
	}

	@Test
	void theProtoloopEndpointShowsALiveConnectionAsJson() throws Exception {
		try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", this.echoPort))) {
			client.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
			InputStream in = Channels.newInputStream(client);
			assertThat(in.readNBytes(6)).hasSize(6);

			HttpResponse<String> response = get("/actuator/protoloop/echo");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).contains("json"));
			String local = client.getLocalAddress().toString();
			assertThat(response.body()).contains("\"name\":\"echo\"", "\"kind\":\"tcp\"", "\"serving\":true",
					"\"peer\":\"" + local + "\"", "\"bytesReceived\":6", "\"writeBufferHigh\":65536",
					"\"writingPaused\":false", "\"protocol\":\"" + EchoProtocol.class.getName() + "\"");
		}
		String transport = this.group.transport().name().toLowerCase(Locale.ROOT);
		assertThat(get("/actuator/protoloop").body()).contains("\"transport\":\"" + transport + "\"", "\"loops\":[",
				"\"name\":\"protoloop-0\"", "\"name\":\"kv\"");
		assertThat(get("/actuator/protoloop/no-such-endpoint").statusCode()).isEqualTo(404);
	}

	@Test
	@SuppressWarnings("try") // the resource is held open for the test, not used
	void connectionsAreListedAPageAtATimeAndABadPageIsABadRequest() throws Exception {
		// The demo's round-trip probe may have a connection open too: count, do not name.
		try (SocketChannel first = echoed(); SocketChannel second = echoed()) {
			HttpResponse<String> page = get("/actuator/protoloop/echo?limit=1&offset=1");

			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("\"limit\":1", "\"offset\":1");
			assertThat(page.body().split("\"peer\":", -1)).as("one connection listed").hasSize(2);
		}
		assertThat(get("/actuator/protoloop/echo?limit=0").statusCode()).isEqualTo(400);
		assertThat(get("/actuator/protoloop/echo?offset=-1").statusCode()).isEqualTo(400);
	}

	/** Connects to the echo endpoint and waits for one echo, so the server has made the connection. */
	private SocketChannel echoed() throws IOException {
		SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", this.echoPort));
		client.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
		assertThat(Channels.newInputStream(client).readNBytes(6)).hasSize(6);
		return client;
	}

	@Test
	void writeOperationsAreOffByDefault() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/protoloop/echo"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"serving\":false}"))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(405);
	}

	@Test
	void healthShowsAnonymousCallersTheStatusAloneAsApplicationYmlSays() throws Exception {
		HttpResponse<String> health = get("/actuator/health");

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components", "protoloop", "details");
	}

}
