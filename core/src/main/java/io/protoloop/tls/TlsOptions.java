package io.protoloop.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * How a connection speaks TLS, after asyncio's {@code ssl=} and {@code ssl_*} keyword arguments. Build with
 * {@link #builder(SSLContext)}.
 * @param sslContext where keys, certificates and trust come from
 * @param serverHostname for a client: the name sent as SNI and checked against the server's certificate;
 * {@code null} uses the host connected to, and an empty string turns both off (as asyncio's
 * {@code server_hostname=''}); ignored by servers
 * @param handshakeTimeout how long the handshake may take before the connection is aborted (asyncio: 60 s)
 * @param shutdownTimeout how long closing may wait for the peer's close_notify before aborting (asyncio: 30 s)
 * @param clientAuth for a server: whether clients must present a certificate
 * @param protocols the enabled protocol versions (for example {@code TLSv1.3}), or empty for the context's
 * defaults
 * @param cipherSuites the enabled cipher suites, or empty for the context's defaults
 * @param delegatedTaskBudget how much of one loop iteration the engine's delegated tasks (the handshake's
 * signatures, key agreement and certificate checks) may take on the loop thread, shared by the loop's
 * connections: a task that finds it spent runs on the loop's executor. Inline tasks save two thread hops per
 * handshake; the budget keeps a flood of handshakes from holding the loop away from established connections.
 * {@link Duration#ZERO} sends every task to the executor.
 */
public record TlsOptions(SSLContext sslContext, String serverHostname, Duration handshakeTimeout,
		Duration shutdownTimeout, ClientAuth clientAuth, List<String> protocols, List<String> cipherSuites,
		Duration delegatedTaskBudget) {

	/** asyncio's handshake timeout. */
	public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

	/** asyncio's shutdown timeout. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The default delegated-task budget per loop iteration, 1 ms: a burst of handshakes holds the loop for about
	 * a millisecond plus one task per iteration, while handshakes that arrive one at a time run inline.
	 */
	public static final Duration DEFAULT_DELEGATED_TASK_BUDGET = Duration.ofMillis(1);

	/**
	 * Validates the options.
	 * @param sslContext where keys, certificates and trust come from
	 * @param serverHostname for a client: the name sent as SNI and checked against the server's certificate; {@code null} uses the host connected to, and an empty string turns both off (as asyncio's {@code server_hostname=''}); ignored by servers
	 * @param handshakeTimeout how long the handshake may take before the connection is aborted (asyncio: 60 s)
	 * @param shutdownTimeout how long closing may wait for the peer's close_notify before aborting (asyncio: 30 s)
	 * @param clientAuth for a server: whether clients must present a certificate
	 * @param protocols the enabled protocol versions (for example {@code TLSv1.3}), or empty for the context's defaults
	 * @param cipherSuites the enabled cipher suites, or empty for the context's defaults
	 * @param delegatedTaskBudget how much of one loop iteration the engine's delegated tasks may take on the loop
	 * thread; {@link Duration#ZERO} sends every task to the executor
	 */
	public TlsOptions {
		Objects.requireNonNull(sslContext, "sslContext");
		Objects.requireNonNull(clientAuth, "clientAuth");
		protocols = List.copyOf(protocols);
		cipherSuites = List.copyOf(cipherSuites);
		if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
			throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
		}
		if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
			throw new IllegalArgumentException("shutdownTimeout must be positive: " + shutdownTimeout);
		}
		if (delegatedTaskBudget.isNegative()) {
			throw new IllegalArgumentException("delegatedTaskBudget must not be negative: " + delegatedTaskBudget);
		}
	}

	/**
	 * Returns a builder with asyncio's defaults over {@code sslContext}.
	 * @param sslContext where keys, certificates and trust come from
	 * @return a builder with asyncio's defaults over {@code sslContext}
	 */
	public static Builder builder(SSLContext sslContext) {
		return new Builder(sslContext);
	}

	/**
	 * Returns options with asyncio's defaults over {@code sslContext}.
	 * @param sslContext where keys, certificates and trust come from
	 * @return options with asyncio's defaults over {@code sslContext}
	 */
	public static TlsOptions of(SSLContext sslContext) {
		return builder(sslContext).build();
	}

	/** Builds {@link TlsOptions}. */
	public static final class Builder {

		private final SSLContext sslContext;

		private String serverHostname;

		private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private ClientAuth clientAuth = ClientAuth.NONE;

		private List<String> protocols = List.of();

		private List<String> cipherSuites = List.of();

		private Duration delegatedTaskBudget = DEFAULT_DELEGATED_TASK_BUDGET;

		private Builder(SSLContext sslContext) {
			this.sslContext = sslContext;
		}

		/**
		 * Sets the name a client sends as SNI and verifies; {@code ""} turns both off.
		 * @param serverHostname the name a client sends as SNI and verifies; {@code ""} turns both off
		 * @return this builder
		 */
		public Builder serverHostname(String serverHostname) {
			this.serverHostname = serverHostname;
			return this;
		}

		/**
		 * Sets the handshake timeout (default 60 s).
		 * @param handshakeTimeout the handshake timeout (default 60 s)
		 * @return this builder
		 */
		public Builder handshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
			return this;
		}

		/**
		 * Sets the shutdown timeout (default 30 s).
		 * @param shutdownTimeout the shutdown timeout (default 30 s)
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		/**
		 * Sets whether a server asks clients for certificates (default none).
		 * @param clientAuth whether a server asks clients for certificates (default none)
		 * @return this builder
		 */
		public Builder clientAuth(ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
			return this;
		}

		/**
		 * Enables only these protocol versions.
		 * @param protocols the enabled protocol versions (for example {@code TLSv1.3}), or empty for the context's defaults
		 * @return this builder
		 */
		public Builder protocols(String... protocols) {
			this.protocols = List.of(protocols);
			return this;
		}

		/**
		 * Enables only these cipher suites.
		 * @param cipherSuites the enabled cipher suites, or empty for the context's defaults
		 * @return this builder
		 */
		public Builder cipherSuites(String... cipherSuites) {
			this.cipherSuites = List.of(cipherSuites);
			return this;
		}

		/**
		 * Sets how much of each loop iteration the engine's delegated tasks may run on the loop thread before
		 * the rest go to the loop's executor (default 1 ms; {@link Duration#ZERO}: always the executor).
		 * @param delegatedTaskBudget the budget; not negative
		 * @return this builder
		 */
		public Builder delegatedTaskBudget(Duration delegatedTaskBudget) {
			this.delegatedTaskBudget = delegatedTaskBudget;
			return this;
		}

		/**
		 * Returns the options.
		 * @return the options
		 */
		public TlsOptions build() {
			return new TlsOptions(this.sslContext, this.serverHostname, this.handshakeTimeout, this.shutdownTimeout,
					this.clientAuth, this.protocols, this.cipherSuites, this.delegatedTaskBudget);
		}

	}

}
