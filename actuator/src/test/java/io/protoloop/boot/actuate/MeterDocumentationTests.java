package io.protoloop.boot.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.api.Test;

import io.protoloop.boot.actuate.metrics.ProtoloopMeters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meter tables of {@code docs/metrics.md} and the README list exactly the meters of {@link ProtoloopMeters},
 * with the type and Prometheus series the code registers: adding a meter without its documentation fails here.
 */
class MeterDocumentationTests {

	@Test
	void docsMetricsListsEveryMeterWithItsPrometheusSeriesAndType() throws IOException {
		Map<String, String[]> rows = meterRows(Path.of("..", "docs", "metrics.md"), "Micrometer name");
		assertThat(rows.keySet()).containsExactlyInAnyOrder(meterNames());
		for (ProtoloopMeters meter : ProtoloopMeters.values()) {
			String[] cells = rows.get(meter.meterName());
			assertThat(cells[1]).as(meter.meterName()).startsWith("`" + prometheusName(meter));
			assertThat(cells[2]).as(meter.meterName()).isEqualTo(meter.type().name().toLowerCase().replace('_', ' '));
		}
	}

	@Test
	void theReadmeListsEveryMeter() throws IOException {
		assertThat(meterRows(Path.of("..", "README.md"), "meter").keySet()).containsExactlyInAnyOrder(meterNames());
	}

	/** The Prometheus form of a meter name: underscores, the base unit, and a suffix by type. */
	static String prometheusName(ProtoloopMeters meter) {
		String name = meter.meterName().replace('.', '_');
		String unit = (meter.type() == Meter.Type.TIMER) ? "seconds" : meter.baseUnit();
		if (unit != null && !name.endsWith("_" + unit)) {
			name = name + "_" + unit;
		}
		return switch (meter.type()) {
			case COUNTER -> name + "_total";
			case TIMER, DISTRIBUTION_SUMMARY -> name + "_count";
			default -> name;
		};
	}

	private static String[] meterNames() {
		return Arrays.stream(ProtoloopMeters.values()).map(ProtoloopMeters::meterName).toArray(String[]::new);
	}

	/**
	 * Returns the rows of the tables headed {@code header} whose name starts with {@code protoloop.}, as their
	 * cells, by name.
	 */
	private static Map<String, String[]> meterRows(Path markdown, String header) throws IOException {
		Map<String, String[]> rows = new LinkedHashMap<>();
		boolean inTable = false;
		for (String line : Files.readAllLines(markdown)) {
			String[] cells = Arrays.stream(line.split("\\|")).skip(1).map(String::trim).toArray(String[]::new);
			if (!line.startsWith("|")) {
				inTable = false;
			}
			else if (cells[0].equals(header)) {
				inTable = true;
			}
			else if (inTable && cells[0].startsWith("`protoloop.")) {
				rows.put(cells[0].replace("`", ""), cells);
			}
		}
		return rows;
	}

}
