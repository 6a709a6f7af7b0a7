package io.protoloop.boot.ssl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import io.protoloop.loop.EventLoop;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.TransportView;

/** The TLS state of connections, as operators see it: the session a connection negotiated, and counts by version. */
public final class TlsConnections {

	private TlsConnections() {
	}

	/**
	 * Returns the TLS session of {@code connection} once its handshake completed, or {@code null} for a plain
	 * connection and during the handshake. Call on the connection's loop thread.
	 * @param connection the connection
	 * @return the TLS session of {@code connection} once its handshake completed, or {@code null} for a plain connection and during the handshake
	 */
	public static SSLSession session(TransportView connection) {
		Object engine = connection.applicationTransport().getExtraInfo(ExtraInfo.SSL_OBJECT);
		return (engine instanceof SSLEngine sslEngine) ? sslEngine.getSession() : null;
	}

	/**
	 * Counts the connections past their TLS handshake by negotiated protocol version ({@code TLSv1.3}, ...). Each
	 * loop counts its own connections in one task, so any thread may call this.
	 * @return a future of the counts, completed once every loop has counted
	 * @param connections the connections to count
	 */
	public static CompletableFuture<Map<String, Long>> countByProtocol(List<TransportView> connections) {
		Map<EventLoop, List<TransportView>> byLoop = connections.stream()
			.collect(Collectors.groupingBy(TransportView::getLoop));
		Map<String, Long> total = new HashMap<>();
		CompletableFuture<?>[] counts = byLoop.entrySet()
			.stream()
			.map((entry) -> entry.getKey().submit(() -> count(entry.getValue())).thenAccept((counted) -> {
				synchronized (total) {
					counted.forEach((protocol, n) -> total.merge(protocol, n, Long::sum));
				}
			}))
			.toArray(CompletableFuture[]::new);
		return CompletableFuture.allOf(counts).thenApply((done) -> {
			synchronized (total) {
				return Map.copyOf(total);
			}
		});
	}

	/** Counts on the loop of {@code connections}. */
	private static Map<String, Long> count(List<TransportView> connections) {
		Map<String, Long> counts = new HashMap<>();
		for (TransportView connection : connections) {
			SSLSession session = session(connection);
			if (session != null) {
				counts.merge(session.getProtocol(), 1L, Long::sum);
			}
		}
		return counts;
	}

}
