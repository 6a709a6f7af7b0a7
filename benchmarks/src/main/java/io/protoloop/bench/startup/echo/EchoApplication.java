package io.protoloop.bench.startup.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.protoloop.bench.startup.StartupApp;
import io.protoloop.boot.endpoint.ProtocolEndpoints;

/**
 * The start-up benchmark's application with the Protoloop starter: one {@code @ProtocolEndpoint} TCP echo
 * endpoint, {@link EchoProtocol}, on a port of the kernel's choosing. Started with and without Actuator on the
 * classpath. Once started (outside the measured time) it checks that the endpoint echoes.
 */
@SpringBootApplication
public class EchoApplication {

	public static void main(String[] args) {
		String[] withPort = Arrays.copyOf(args, args.length + 1);
		withPort[args.length] = "--protoloop.endpoints.echo.port=0";
		StartupApp.run(EchoApplication.class, withPort, (context) -> echo((InetSocketAddress) context
			.getBean(ProtocolEndpoints.class).get("echo").addresses().get(0)));
	}

	/** Sends a few bytes to the endpoint at {@code address} and fails unless they come back within 5 s. */
	private static void echo(InetSocketAddress address) {
		byte[] sent = "startup".getBytes(StandardCharsets.US_ASCII);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5000);
			socket.setSoTimeout(5000);
			socket.getOutputStream().write(sent);
			InputStream in = socket.getInputStream();
			byte[] received = in.readNBytes(sent.length);
			if (!Arrays.equals(sent, received)) {
				throw new IllegalStateException("The echo endpoint returned " + Arrays.toString(received));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
