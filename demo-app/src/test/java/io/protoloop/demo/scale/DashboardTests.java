package io.protoloop.demo.scale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard ({@code docs/grafana/protoloop-dashboard.json}) works across instances: every query of
 * every panel filters each metric by the {@code application} and {@code instance} variables, names only series
 * the demo's {@code /actuator/prometheus} exposes, and the dashboard has per-instance panels.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(60)
class DashboardTests {

	private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "protoloop-dashboard.json");

	/** A metric in a PromQL expression, with its label matchers. */
	private static final Pattern METRIC = Pattern.compile("\\b((?:protoloop|demo)_[a-z0-9_]+)(\\{[^}]*\\})?");

	/** A metric family in the Prometheus text format, with its type. */
	private static final Pattern FAMILY = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");

	@LocalServerPort
	int httpPort;

	@Test
	void everyQueryFiltersByApplicationAndInstanceAndNamesOnlyExposedSeries() throws Exception {
		Set<String> series = exposedSeries();
		List<String> expressions = expressions(JsonMapper.builder().build().readTree(DASHBOARD.toFile()));
		assertThat(expressions).as("the dashboard's queries").hasSizeGreaterThan(20);
		for (String expression : expressions) {
			Matcher metric = METRIC.matcher(expression);
			int found = 0;
			while (metric.find()) {
				found++;
				assertThat(series).as("a series the demo exposes, in: %s", expression).contains(metric.group(1));
				assertThat(metric.group(2)).as("the label matchers of %s in: %s", metric.group(1), expression)
					.isNotNull()
					.contains("application=~\"$application\"")
					.contains("instance=~\"$instance\"");
			}
			assertThat(found).as("metrics in: %s", expression).isPositive();
		}
	}

	@Test
	void theDashboardHasAnInstanceVariableAndPanelsPerInstance() throws Exception {
		JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
		List<String> variables = new ArrayList<>();
		dashboard.get("templating").get("list").forEach((variable) -> variables.add(variable.get("name").asString()));
		assertThat(variables).contains("application", "instance");
		List<String> perInstance = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.path("targets")) {
				if (target.get("expr").asString().matches("(?s).*by \\([^)]*\\binstance\\b.*")) {
					perInstance.add(panel.get("title").asString());
				}
			}
		}
		assertThat(perInstance).as("panels with a line per instance")
			.contains("Writers paused per second by instance", "Active connections by instance");
	}

	/** Every panel query's expression. */
	private static List<String> expressions(JsonNode dashboard) {
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.path("targets")) {
				expressions.add(target.get("expr").asString());
			}
		}
		return expressions;
	}

	/**
	 * The series names a scrape of the demo can have: each family, with {@code _total} for a counter (Prometheus
	 * names counters so), {@code _count} and {@code _sum} for a summary or histogram, {@code _bucket} for a
	 * histogram.
	 */
	private Set<String> exposedSeries() throws IOException, InterruptedException {
		String scrape = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Set<String> series = new HashSet<>();
		Matcher family = FAMILY.matcher(scrape);
		while (family.find()) {
			String name = family.group(1);
			series.add(name);
			switch (family.group(2)) {
				case "counter" -> series.add(name.endsWith("_total") ? name : name + "_total");
				case "summary" -> series.addAll(List.of(name + "_count", name + "_sum"));
				case "histogram" -> series.addAll(List.of(name + "_count", name + "_sum", name + "_bucket"));
				default -> {
				}
			}
		}
		return series;
	}

}
