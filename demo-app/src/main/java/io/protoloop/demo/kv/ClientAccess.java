package io.protoloop.demo.kv;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.stereotype.Component;

/**
 * Who may use the kv endpoint, after Redis's protected mode and AUTH: with no password ({@code demo.kv.password}),
 * only clients on the loopback interface (or a Unix socket) are served, unless {@code demo.kv.protected-mode} is
 * off; with one, every client must give it before any other command.
 */
@Component
public class ClientAccess {

	private final byte[] password;

	private final boolean protectedMode;

	public ClientAccess(KvProperties properties) {
		this.password = (properties.password() != null) ? properties.password().getBytes(StandardCharsets.UTF_8)
				: null;
		this.protectedMode = properties.protectedMode();
	}

	/** Returns {@code true} if a client at {@code peer} may connect at all (see the class's description). */
	boolean admits(SocketAddress peer) {
		if (this.password != null || !this.protectedMode) {
			return true;
		}
		if (peer instanceof InetSocketAddress inet) {
			return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
		}
		return peer != null;
	}

	/** Returns {@code true} if clients must AUTH before anything else. */
	boolean passwordRequired() {
		return this.password != null;
	}

	/** Returns {@code true} if {@code given} is the password; compared in constant time. */
	boolean accepts(byte[] given) {
		return this.password != null && MessageDigest.isEqual(this.password, given);
	}

}
