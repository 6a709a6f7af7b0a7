package io.protoloop.demo.echo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Recognises sources a UDP echo must never answer, as each answer would come back to be echoed again: the
 * endpoint's own address (a forged datagram from it circulates forever), and ports below 1024, where the classic
 * echo, chargen and daytime services answer every datagram (the echo/chargen loop of CERT CA-1996-01).
 */
final class EchoLoopGuard {

	/** Ports below this are privileged: only system services use them as a source. */
	private static final int FIRST_UNPRIVILEGED_PORT = 1024;

	private final InetSocketAddress local;

	/** @param local the endpoint's own address, possibly the wildcard address */
	EchoLoopGuard(InetSocketAddress local) {
		this.local = local;
	}

	/** Returns {@code true} if echoing to {@code source} could start a loop. */
	boolean refuses(InetSocketAddress source) {
		if (source.getPort() < FIRST_UNPRIVILEGED_PORT) {
			return true;
		}
		if (source.getPort() != this.local.getPort()) {
			return false;
		}
		InetAddress address = source.getAddress();
		InetAddress bound = this.local.getAddress();
		return address.equals(bound) || (bound.isAnyLocalAddress() && isOwnAddress(address));
	}

	/** Returns {@code true} if {@code address} is this host's; asked only of sources on the endpoint's port. */
	private static boolean isOwnAddress(InetAddress address) {
		if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
			return true;
		}
		try {
			return NetworkInterface.getByInetAddress(address) != null;
		}
		catch (SocketException ex) {
			return true;
		}
	}

}
