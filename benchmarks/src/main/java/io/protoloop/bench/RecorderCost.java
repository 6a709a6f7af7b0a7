package io.protoloop.bench;

import java.util.Arrays;
import java.util.Locale;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.actuate.metrics.MicrometerTransportRecorders;
import io.protoloop.boot.endpoint.EndpointDefinition;
import io.protoloop.metrics.EndpointStatistics;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.tcp.ProxyProtocol;
import io.protoloop.tcp.ServerOptions;
import io.protoloop.transport.TransportSettings;

/**
 * Measures, in this JVM and on one thread, what the endpoint statistics add to each echoed request: the calls a
 * transport makes on its recorder for one read and one write ({@code bytesReceived} and {@code bytesSent}), with
 * the recorder the starter and the actuator install (an {@link EndpointStatistics} whose flow recorder is the
 * Micrometer one) and with none ({@link TransportRecorder#NONE}, the core default). The echo benchmark cannot
 * resolve a cost this small; this gives its size. Run it pinned to one CPU:
 * {@code taskset -c 0 java -cp ... io.protoloop.bench.RecorderCost}.
 */
public final class RecorderCost {

	private static final long CALLS = 50_000_000;

	private static final int RUNS = 7;

	/** Keeps the loop's result alive. */
	private static long sink;

	private RecorderCost() {
	}

	public static void main(String[] args) {
		EndpointDefinition definition = new EndpointDefinition("echo", EndpointKind.TCP, "echoProtocol",
				"127.0.0.1", 0, null, 100, true, false, false, 65535, 0, 0, ServerOptions.OWNER_ONLY, ProxyProtocol.OFF,
				TransportSettings.DEFAULT, null);
		TransportRecorder statistics = new EndpointStatistics(
				new MicrometerTransportRecorders(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
					.recorderFor(definition));
		// Both recorders go through the same call site, as in a process where both are loaded.
		for (int warmup = 0; warmup < 3; warmup++) {
			measure(TransportRecorder.NONE);
			measure(statistics);
		}
		double[] none = new double[RUNS];
		double[] with = new double[RUNS];
		for (int run = 0; run < RUNS; run++) {
			none[run] = measure(TransportRecorder.NONE);
			with[run] = measure(statistics);
		}
		Arrays.sort(none);
		Arrays.sort(with);
		System.out.printf(Locale.ROOT, "ns per request (one bytesReceived + one bytesSent), median [min-max] of %d"
				+ " runs of %,d:%n", RUNS, CALLS);
		System.out.printf(Locale.ROOT, "  TransportRecorder.NONE                   %6.2f [%.2f-%.2f]%n", none[RUNS / 2],
				none[0], none[RUNS - 1]);
		System.out.printf(Locale.ROOT, "  EndpointStatistics (Micrometer flow)     %6.2f [%.2f-%.2f]%n", with[RUNS / 2],
				with[0], with[RUNS - 1]);
		System.out.println("(sink " + sink + ")");
	}

	/** Returns the nanoseconds per pair of calls. */
	private static double measure(TransportRecorder recorder) {
		long start = System.nanoTime();
		long bytes = 0;
		for (long i = 0; i < CALLS; i++) {
			int size = 64 + (int) (i & 1);
			recorder.bytesReceived(size);
			recorder.bytesSent(size);
			bytes += size;
		}
		long elapsed = System.nanoTime() - start;
		sink += bytes;
		return (double) elapsed / CALLS;
	}

}
