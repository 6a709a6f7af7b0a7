package io.protoloop.demo.kv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client's side of RESP2 for the tests: encodes commands as clients send them, and reads replies off a
 * socket whole, as their raw text (one char per byte), so a test compares them with what it expects on the wire:
 * {@code "$5\r\nhello\r\n"}. Every read is bounded by a socket timeout.
 */
final class RespClient implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	/** Connects to the loopback interface; reads wait at most {@code readTimeout}. */
	RespClient(int port, Duration readTimeout) throws IOException {
		this.socket = new Socket();
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), (int) readTimeout.toMillis());
		this.socket.setSoTimeout((int) readTimeout.toMillis());
		this.in = new BufferedInputStream(this.socket.getInputStream(), 64 * 1024);
		this.out = new BufferedOutputStream(this.socket.getOutputStream(), 64 * 1024);
	}

	/** Returns the command as an array of bulk strings, the arguments encoded in UTF-8. */
	static byte[] command(String... args) {
		byte[][] encoded = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			encoded[i] = args[i].getBytes(StandardCharsets.UTF_8);
		}
		return command(encoded);
	}

	/** Returns the command as an array of bulk strings. */
	static byte[] command(byte[]... args) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (byte[] arg : args) {
			bytes.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			bytes.writeBytes(arg);
			bytes.writeBytes(new byte[] { '\r', '\n' });
		}
		return bytes.toByteArray();
	}

	/** Returns the bytes as the tests' replies show them: one char per byte. */
	static String raw(byte[] bytes) {
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

	/** Sends a command and returns its reply. */
	String call(String... args) throws IOException {
		send(command(args));
		return readReply();
	}

	/** Sends the bytes as they are, at once. */
	void send(byte[] bytes) throws IOException {
		write(bytes);
		flush();
	}

	/** Queues the bytes in the client's buffer, which writes them whenever it fills; see {@link #flush()}. */
	void write(byte[] bytes) throws IOException {
		this.out.write(bytes);
	}

	void flush() throws IOException {
		this.out.flush();
	}

	/** Reads one whole reply, an array with its elements, and returns its raw text. */
	String readReply() throws IOException {
		StringBuilder reply = new StringBuilder();
		readReply(reply);
		return reply.toString();
	}

	private void readReply(StringBuilder reply) throws IOException {
		String line = readLine();
		reply.append(line).append("\r\n");
		switch (line.charAt(0)) {
			case '+', '-', ':' -> {
			}
			case '$' -> {
				int length = Integer.parseInt(line.substring(1));
				if (length >= 0) {
					byte[] data = this.in.readNBytes(length + 2);
					if (data.length < length + 2) {
						throw new EOFException("EOF in a bulk string of " + length + " bytes");
					}
					reply.append(raw(data));
				}
			}
			case '*' -> {
				int count = Integer.parseInt(line.substring(1));
				for (int i = 0; i < count; i++) {
					readReply(reply);
				}
			}
			default -> throw new IOException("Not a RESP reply: " + line);
		}
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = this.in.read()) != '\n') {
			if (b == -1) {
				throw new EOFException("EOF after \"" + line + "\"");
			}
			line.append((char) b);
		}
		if (line.length() < 2 || line.charAt(line.length() - 1) != '\r') {
			throw new IOException("Not a CRLF line: " + line);
		}
		return line.substring(0, line.length() - 1);
	}

	/** Returns {@code true} if the server closed the connection with nothing more to read. */
	boolean atEof() throws IOException {
		return this.in.read() == -1;
	}

	/** Returns the client's address, as the server's transport knows it. */
	SocketAddress localAddress() {
		return this.socket.getLocalSocketAddress();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
