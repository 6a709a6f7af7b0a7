package io.protoloop.boot.test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import io.protoloop.udp.DatagramOptions;

/**
 * A blocking client of a udp endpoint, for tests: its socket is connected to the endpoint, so it sends there and
 * receives only from there, each receive bounded by the client's timeout. Every failure is an
 * {@link AssertionError} naming the endpoint.
 */
public final class EndpointDatagramClient implements AutoCloseable {

	private final String endpoint;

	private final DatagramSocket socket;

	private Duration timeout;

	private EndpointDatagramClient(String endpoint, DatagramSocket socket, Duration timeout) {
		this.endpoint = endpoint;
		this.socket = socket;
		this.timeout = timeout;
	}

	static EndpointDatagramClient open(String endpoint, InetSocketAddress address, Duration timeout) {
		try {
			// Bound where the endpoint listens (loopback in tests), on a free port.
			DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address.getAddress(), 0));
			socket.connect(address);
			return new EndpointDatagramClient(endpoint, socket, timeout);
		}
		catch (IOException ex) {
			throw new AssertionError("Could not open a udp client of endpoint '" + endpoint + "' at " + address + ": "
					+ ex, ex);
		}
	}

	/**
	 * Sets how long each later receive may wait.
	 * @param timeout the bound on each receive
	 * @return this client
	 */
	public EndpointDatagramClient timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	/**
	 * Sends one datagram of text, encoded as UTF-8.
	 * @param text the datagram's text
	 * @return this client
	 */
	public EndpointDatagramClient send(String text) {
		return send(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends one datagram.
	 * @param datagram the datagram's bytes
	 * @return this client
	 * @throws AssertionError if the datagram cannot be sent
	 */
	public EndpointDatagramClient send(byte[] datagram) {
		try {
			this.socket.send(new DatagramPacket(datagram, datagram.length));
		}
		catch (IOException ex) {
			throw new AssertionError("Could not send a datagram to endpoint '" + this.endpoint + "': " + ex, ex);
		}
		return this;
	}

	/**
	 * Receives the next datagram from the endpoint.
	 * @return its bytes
	 * @throws AssertionError if none arrives in time
	 */
	public byte[] receive() {
		byte[] buffer = new byte[DatagramOptions.MAX_DATAGRAM_SIZE];
		DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
		try {
			this.socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, this.timeout.toMillis())));
			this.socket.receive(packet);
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("Endpoint '" + this.endpoint + "' sent no datagram within "
					+ this.timeout.toMillis() + "ms", ex);
		}
		catch (IOException ex) {
			throw new AssertionError("Receiving from endpoint '" + this.endpoint + "' failed: " + ex, ex);
		}
		return Arrays.copyOf(buffer, packet.getLength());
	}

	/**
	 * Receives the next datagram from the endpoint, as text.
	 * @return its text, decoded as UTF-8
	 * @throws AssertionError if none arrives in time
	 */
	public String receiveText() {
		return new String(receive(), StandardCharsets.UTF_8);
	}

	/** Closes the client's socket. */
	@Override
	public void close() {
		this.socket.close();
	}

}
