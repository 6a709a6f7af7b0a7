package io.protoloop.oracle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a Java trace to Python's names, and both traces to one chunking, so that they compare line by line:
 * <ul>
 * <li>naming (Java traces only): camelCase events become snake_case ({@code dataReceived} -> {@code data_received},
 * each dotted part alone); {@code null}, {@code true}, {@code false} become {@code None}, {@code True},
 * {@code False}; Java exception kinds become the Python exception CPython raises in the same place
 * ({@link #EXCEPTIONS});</li>
 * <li>chunking (both): consecutive {@code data_received} lines of one protocol become one, their data joined; a run of
 * {@code get_buffer}/{@code buffer_updated} lines becomes its distinct {@code get_buffer} lines and one
 * {@code buffer_updated} with the byte counts added up.</li>
 * </ul>
 * Data stays quoted as the two kits print it ({@code 'abc'}, other bytes as {@code \xNN}).
 */
final class TraceNormaliser {

	/** Java exception kinds (as {@link Trace#kind} prints them) and the Python exception of the same meaning. */
	static final Map<String, String> EXCEPTIONS = Map.ofEntries(
			Map.entry("IllegalStateException", "RuntimeError"),
			Map.entry("IllegalArgumentException", "ValueError"),
			Map.entry("CancellationException", "CancelledError"),
			Map.entry("TimeoutException", "TimeoutError"),
			Map.entry("ConnectException", "ConnectionRefusedError"),
			Map.entry("PortUnreachableException", "ConnectionRefusedError"),
			Map.entry("SocketException:Connection_reset", "ConnectionResetError"),
			Map.entry("IOException:Connection_reset_by_peer", "ConnectionResetError"),
			Map.entry("SocketException:Connection_reset_by_peer", "ConnectionResetError"),
			Map.entry("IOException:Broken_pipe", "BrokenPipeError"),
			Map.entry("SocketException:Broken_pipe", "BrokenPipeError"));

	private static final Pattern TOKEN = Pattern.compile("'[^']*'|\\S+");

	private static final Pattern UPPER = Pattern.compile("(?<=[a-z0-9])([A-Z])");

	private TraceNormaliser() {
	}

	/** Normalises a trace printed by the Python kit. */
	static List<String> python(List<String> lines) {
		return mergeChunks(lines);
	}

	/** Normalises a trace recorded by the Java kit. */
	static List<String> java(List<String> lines) {
		List<String> named = new ArrayList<>(lines.size());
		for (String line : lines) {
			named.add(javaLine(line));
		}
		return mergeChunks(named);
	}

	static String javaLine(String line) {
		List<String> tokens = tokens(line);
		if (tokens.isEmpty()) {
			return line;
		}
		StringBuilder out = new StringBuilder(snake(tokens.get(0)));
		for (String token : tokens.subList(1, tokens.size())) {
			out.append(' ').append(javaValue(token));
		}
		return out.toString();
	}

	private static String javaValue(String token) {
		if (token.startsWith("'")) {
			return token;
		}
		return switch (token) {
			case "null" -> "None";
			case "true" -> "True";
			case "false" -> "False";
			default -> EXCEPTIONS.getOrDefault(token, token);
		};
	}

	/** {@code first.connectionMade} -> {@code first.connection_made}. */
	static String snake(String event) {
		Matcher matcher = UPPER.matcher(event);
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(out, "_" + matcher.group(1).toLowerCase());
		}
		matcher.appendTail(out);
		return out.toString();
	}

	static List<String> tokens(String line) {
		List<String> tokens = new ArrayList<>();
		Matcher matcher = TOKEN.matcher(line);
		while (matcher.find()) {
			tokens.add(matcher.group());
		}
		return tokens;
	}

	static List<String> mergeChunks(List<String> lines) {
		List<String> out = new ArrayList<>();
		int i = 0;
		while (i < lines.size()) {
			String line = lines.get(i);
			String event = event(line);
			if (event.endsWith("data_received") && line.endsWith("'")) {
				StringBuilder data = new StringBuilder(quoted(line));
				int j = i + 1;
				while (j < lines.size() && event(lines.get(j)).equals(event) && lines.get(j).endsWith("'")) {
					data.append(quoted(lines.get(j)));
					j++;
				}
				out.add(event + " '" + data + "'");
				i = j;
			}
			else if (event.equals("get_buffer") || event.equals("buffer_updated")) {
				Set<String> getBuffer = new LinkedHashSet<>();
				long updated = 0;
				boolean anyUpdate = false;
				int j = i;
				while (j < lines.size()
						&& (event(lines.get(j)).equals("get_buffer") || event(lines.get(j)).equals("buffer_updated"))) {
					String each = lines.get(j);
					if (event(each).equals("get_buffer")) {
						getBuffer.add(each);
					}
					else {
						updated += Long.parseLong(each.substring("buffer_updated ".length()).strip());
						anyUpdate = true;
					}
					j++;
				}
				out.addAll(getBuffer);
				if (anyUpdate) {
					out.add("buffer_updated " + updated);
				}
				i = j;
			}
			else {
				out.add(line);
				i++;
			}
		}
		return out;
	}

	private static String event(String line) {
		int space = line.indexOf(' ');
		return (space < 0) ? line : line.substring(0, space);
	}

	/** The data between the first quote and the last one. */
	private static String quoted(String line) {
		return line.substring(line.indexOf('\'') + 1, line.length() - 1);
	}

}
