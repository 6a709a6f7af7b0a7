package io.protoloop.tls.layer;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

import io.protoloop.loop.EventLoop;
import io.protoloop.loop.ExceptionContext;
import io.protoloop.loop.TimerHandle;
import io.protoloop.metrics.Guard;
import io.protoloop.metrics.HandshakeFailure;
import io.protoloop.metrics.TransportRecorder;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.ProtocolLayer;
import io.protoloop.protocol.StreamProtocol;
import io.protoloop.tls.ClientAuth;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.BaseTransport;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Transport;
import io.protoloop.transport.TransportSettings;

/**
 * TLS as a protocol on a plain stream transport, after CPython's {@code SSLProtocol}: it owns the
 * {@link SSLEngine}, drives the handshake, decrypts what the socket receives for the application and encrypts
 * what the application writes, and gives the application its own transport ({@link SslTransport}) once the
 * handshake completes. States move through {@link SslState}, one checked step at a time.
 *
 * <p>Flow control crosses the layer both ways: while the socket's buffer is over its watermark the layer stops
 * encrypting, so the application's writes wait in its own transport and pause the application; an application
 * that pauses reading pauses the socket. Encryption and decryption use per-thread scratch buffers (a loop is one
 * thread), so steady traffic allocates nothing; only a record split across reads is kept per connection. The
 * scratch buffers are heap buffers, as the JDK's AES-GCM wants them (it copies direct ones into new arrays).
 * Every record one burst of wraps produces (a whole handshake flight, or up to four full records of application
 * data) goes to the socket in one write. The engine's delegated tasks (signatures, key agreement, certificate
 * checks) run inline within the loop's {@link DelegatedTaskBudget} and on the loop's executor beyond it, so
 * handshakes cost no thread hops and a flood of them does not hold the loop.
 *
 * <p>Long because the handshake, the two directions of data and of flow control, and the shutdown share one
 * engine and one state: CPython's {@code sslproto.py} is one class for the same reason.
 */
public final class SslProtocol implements Protocol, ProtocolLayer {

	private static final System.Logger logger = System.getLogger(SslProtocol.class.getName());

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	private final EventLoop loop;

	private final SSLEngine engine;

	private final TlsOptions options;

	private final StreamProtocol app;

	private final TransportSettings appSettings;

	private final TransportRecorder recorder;

	private final CompletableFuture<Transport> handshake = new CompletableFuture<>();

	private SslState state = SslState.UNWRAPPED;

	private Transport transport;

	private SslTransport appTransport;

	/** A record split across reads (and what follows it while reading is paused), in write mode; or null. */
	private ByteBuffer pending;

	private boolean socketPaused;

	private boolean appReadingPaused;

	/** The engine's delegated tasks run off the loop: the engine waits for them. */
	private boolean tasksRunning;

	/** The handshake is done and the application's connectionMade has not run yet: its data waits. */
	private boolean appStarting;

	private boolean closeNotifyReceived;

	private boolean socketLost;

	/** When the handshake began, on the loop's clock. */
	private long handshakeStarted;

	private TimerHandle handshakeTimer;

	private TimerHandle shutdownTimer;

	/** What to run once the socket is gone, after the application transport asked for the end. */
	private Runnable released;

	private SslProtocol(EventLoop loop, SSLEngine engine, TlsOptions options, StreamProtocol app,
			TransportSettings settings) {
		this.loop = loop;
		this.engine = engine;
		this.options = options;
		this.app = app;
		this.recorder = settings.recorder();
		// The socket's transport counts the connection and holds the timeouts and the linger; the application's
		// transport keeps the watermarks and the cap.
		this.appSettings = new TransportSettings(settings.writeBufferLimits(), TransportRecorder.NONE,
				settings.maxWriteBufferSize(), Duration.ZERO, Duration.ZERO, Duration.ZERO, null);
	}

	/**
	 * Returns the layer for the server side of a connection that will carry {@code app}.
	 * @param loop the connection's loop
	 * @param app the application's protocol
	 * @param options the TLS options
	 * @param settings what the TLS transport starts with
	 * @return the layer for the server side of a connection that will carry {@code app}
	 */
	public static SslProtocol server(EventLoop loop, StreamProtocol app, TlsOptions options,
			TransportSettings settings) {
		SSLEngine engine = options.sslContext().createSSLEngine();
		engine.setUseClientMode(false);
		SSLParameters parameters = parameters(engine, options);
		parameters.setNeedClientAuth(options.clientAuth() == ClientAuth.REQUIRED);
		if (options.clientAuth() == ClientAuth.OPTIONAL) {
			parameters.setWantClientAuth(true);
		}
		engine.setSSLParameters(parameters);
		return new SslProtocol(loop, engine, options, app, settings);
	}

	/**
	 * Returns the layer for the client side of a connection to {@code host} that will carry {@code app}: SNI and
	 * hostname verification use the options' server hostname, else {@code host}.
	 * @param loop the connection's loop
	 * @param app the application's protocol
	 * @param options the TLS options
	 * @param settings what the TLS transport starts with
	 * @param host the server's host name
	 * @param port the server's port
	 * @return the layer for the client side of a connection to {@code host} that will carry {@code app}: SNI and hostname verification use the options' server hostname, else {@code host}
	 * @throws IllegalArgumentException if neither names the server (a Unix socket or an existing channel)
	 */
	public static SslProtocol client(EventLoop loop, StreamProtocol app, TlsOptions options,
			TransportSettings settings, String host, int port) {
		String name = (options.serverHostname() != null) ? options.serverHostname() : host;
		if (name == null) {
			throw new IllegalArgumentException("TLS without a host name to verify: set TlsOptions.serverHostname "
					+ "(\"\" to skip verification), as asyncio requires server_hostname here");
		}
		SSLEngine engine = name.isEmpty() ? options.sslContext().createSSLEngine()
				: options.sslContext().createSSLEngine(name, port);
		engine.setUseClientMode(true);
		SSLParameters parameters = parameters(engine, options);
		if (!name.isEmpty()) {
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			if (!Character.isDigit(name.charAt(0)) && !name.contains(":")) {
				parameters.setServerNames(List.of(new SNIHostName(name)));
			}
		}
		engine.setSSLParameters(parameters);
		return new SslProtocol(loop, engine, options, app, settings);
	}

	private static SSLParameters parameters(SSLEngine engine, TlsOptions options) {
		SSLParameters parameters = engine.getSSLParameters();
		if (!options.protocols().isEmpty()) {
			parameters.setProtocols(options.protocols().toArray(String[]::new));
		}
		if (!options.cipherSuites().isEmpty()) {
			parameters.setCipherSuites(options.cipherSuites().toArray(String[]::new));
		}
		return parameters;
	}

	/**
	 * Returns a future completed with the application's transport once the handshake is done and the
	 * application's {@code connectionMade} has run, or failed with the handshake's error.
	 * @return a future completed with the application's transport once the handshake is done and the application's {@code connectionMade} has run, or failed with the handshake's error
	 */
	public CompletableFuture<Transport> handshake() {
		return this.handshake;
	}

	SSLEngine engine() {
		return this.engine;
	}

	SSLContext sslContext() {
		return this.options.sslContext();
	}

	Transport socketTransport() {
		return this.transport;
	}

	@Override
	public BaseTransport upperTransport() {
		return this.appTransport;
	}

	private void moveTo(SslState next) {
		this.state = this.state.moveTo(next);
	}

	// ---------------------------------------------------------------- the socket's protocol

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
		moveTo(SslState.DO_HANDSHAKE);
		this.handshakeStarted = this.loop.time();
		this.handshakeTimer = this.loop.callLater(this.options.handshakeTimeout(), this::handshakeTimedOut);
		try {
			this.engine.beginHandshake();
		}
		catch (SSLException ex) {
			failed(ex);
			return;
		}
		pump(EMPTY);
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		if (this.state == SslState.SHUTDOWN && this.closeNotifyReceived) {
			return;
		}
		if (this.pending == null || this.pending.position() == 0) {
			ByteBuffer records = TlsScratch.get().received(data);
			pump(records);
			if (records.hasRemaining()) {
				keep(records);
			}
		}
		else {
			keep(data);
			resumePump();
		}
	}

	/** Appends what could not be decrypted yet to {@link #pending}. */
	private void keep(ByteBuffer data) {
		int needed = ((this.pending != null) ? this.pending.position() : 0) + data.remaining();
		if (this.pending == null || this.pending.capacity() < needed) {
			ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, this.engine.getSession().getPacketBufferSize()));
			if (this.pending != null) {
				bigger.put(this.pending.flip());
			}
			this.pending = bigger;
		}
		this.pending.put(data);
	}

	/** Decrypts what waits in {@link #pending}, then goes on with the handshake. */
	private void resumePump() {
		if (this.state == SslState.SHUTDOWN) {
			return;
		}
		if (this.pending == null || this.pending.position() == 0) {
			pump(EMPTY);
			return;
		}
		this.pending.flip();
		pump(this.pending);
		this.pending.compact();
	}

	/**
	 * Drives the engine as far as {@code source} and the state allow: handshake messages both ways, then
	 * application records, each delivered as it is decrypted.
	 */
	private void pump(ByteBuffer source) {
		try {
			while (this.state != SslState.SHUTDOWN && !this.tasksRunning && !this.appStarting) {
				HandshakeStatus status = this.engine.getHandshakeStatus();
				if (status == HandshakeStatus.NEED_TASK) {
					if (!runDelegatedTasks()) {
						return;
					}
					continue;
				}
				if (status == HandshakeStatus.NEED_WRAP) {
					wrapAndSend(EMPTY);
					continue;
				}
				if (this.appReadingPaused || !source.hasRemaining() || this.closeNotifyReceived) {
					return;
				}
				if (!unwrap(source)) {
					return;
				}
			}
		}
		catch (SSLException ex) {
			failed(ex);
		}
	}

	/** Decrypts one record from {@code source}; returns {@code false} when more bytes are needed or it ended. */
	private boolean unwrap(ByteBuffer source) throws SSLException {
		TlsScratch scratch = TlsScratch.get();
		ByteBuffer plain = scratch.plain();
		SSLEngineResult result = this.engine.unwrap(source, plain);
		while (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
			plain = scratch.growPlain(this.engine);
			result = this.engine.unwrap(source, plain);
		}
		plain.flip();
		if (plain.hasRemaining() && this.appTransport != null) {
			this.appTransport.deliver(plain);
		}
		afterHandshakeStep(result);
		switch (result.getStatus()) {
			case BUFFER_UNDERFLOW:
				return false;
			case CLOSED:
				closeNotify();
				return false;
			default:
				return true;
		}
	}

	/**
	 * Encrypts from {@code source} (empty for handshake messages and alerts) as long as the engine has records to
	 * send in a row (a handshake flight) or {@code source} has data, and the scratch buffer has room for another
	 * full record; then hands them all to the socket in one write. Returns the last wrap's result.
	 */
	private SSLEngineResult wrapAndSend(ByteBuffer source) throws SSLException {
		TlsScratch scratch = TlsScratch.get();
		ByteBuffer records = scratch.records();
		SSLEngineResult last = null;
		boolean finished = false;
		while (true) {
			SSLEngineResult result = this.engine.wrap(source, records);
			if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
				if (records.position() > 0) {
					break;
				}
				records = scratch.growRecords(this.engine);
				continue;
			}
			last = result;
			finished |= result.getHandshakeStatus() == HandshakeStatus.FINISHED;
			refuseRenegotiation(result);
			if (result.getStatus() != SSLEngineResult.Status.OK
					|| (!source.hasRemaining() && result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP)
					|| records.remaining() < this.engine.getSession().getPacketBufferSize()) {
				break;
			}
		}
		records.flip();
		if (records.hasRemaining() && !this.socketLost) {
			this.transport.write(records);
		}
		if (finished && this.state == SslState.DO_HANDSHAKE) {
			handshakeFinished();
		}
		return last;
	}

	private void afterHandshakeStep(SSLEngineResult result) throws SSLException {
		if (result.getHandshakeStatus() == HandshakeStatus.FINISHED && this.state == SslState.DO_HANDSHAKE) {
			handshakeFinished();
		}
		else {
			refuseRenegotiation(result);
		}
	}

	private void refuseRenegotiation(SSLEngineResult result) throws SSLException {
		HandshakeStatus status = result.getHandshakeStatus();
		if (this.state == SslState.WRAPPED && (status == HandshakeStatus.NEED_TASK
				|| status == HandshakeStatus.NEED_UNWRAP) && !"TLSv1.3".equals(this.engine.getSession().getProtocol())) {
			// TLS 1.3 has no renegotiation (its key updates need only a wrap); a TLS 1.2 one is refused.
			throw new SSLException("TLS renegotiation is not supported");
		}
	}

	/**
	 * Runs the engine's delegated tasks inline while the loop's budget lasts, and the rest on the loop's executor.
	 * Returns {@code true} if they all ran here and the handshake goes on now.
	 */
	private boolean runDelegatedTasks() throws SSLException {
		DelegatedTaskBudget budget = DelegatedTaskBudget.of(this.loop);
		while (budget.allows(this.options.delegatedTaskBudget())) {
			Runnable task = this.engine.getDelegatedTask();
			if (task == null) {
				return true;
			}
			try {
				budget.run(task, this.loop);
			}
			catch (RuntimeException ex) {
				throw new SSLException("A TLS handshake task failed", ex);
			}
		}
		this.tasksRunning = true;
		this.loop.runInExecutor(null, () -> {
			Runnable task;
			while ((task = this.engine.getDelegatedTask()) != null) {
				task.run();
			}
			return null;
		}).whenComplete((ignored, ex) -> {
			this.tasksRunning = false;
			if (ex != null) {
				failed(new SSLException("A TLS handshake task failed", ex));
			}
			else {
				resumePump();
			}
		});
		return false;
	}

	private void handshakeFinished() {
		this.handshakeTimer.cancel();
		moveTo(SslState.WRAPPED);
		this.recorder.handshakeCompleted(this.loop.time() - this.handshakeStarted);
		SocketAddress local = (SocketAddress) this.transport.getExtraInfo(ExtraInfo.SOCKNAME);
		SocketAddress peer = (SocketAddress) this.transport.getExtraInfo(ExtraInfo.PEERNAME);
		this.appTransport = new SslTransport(this.loop, this, this.app, this.appSettings, local, peer);
		this.appStarting = true;
		CompletableFuture<Void> made = new CompletableFuture<>();
		// connectionMade runs in a callback of its own; records that came with the handshake wait for it.
		made.thenRun(() -> {
			this.appStarting = false;
			this.handshake.complete(this.appTransport);
			resumePump();
		});
		this.appTransport.start(made);
	}

	private void handshakeTimedOut() {
		this.recorder.guardTripped(Guard.HANDSHAKE_TIMEOUT);
		failed(new SSLHandshakeException("The TLS handshake did not complete within "
				+ this.options.handshakeTimeout().toMillis() + " ms (the handshake timeout)"), HandshakeFailure.TIMEOUT);
		this.transport.abort();
	}

	/** The peer sent close_notify: the application hears of the end of stream and the connection closes. */
	private void closeNotify() {
		this.closeNotifyReceived = true;
		if (this.appTransport != null && this.state == SslState.WRAPPED) {
			this.appTransport.closeNotifyReceived();
		}
		else if (this.state == SslState.DO_HANDSHAKE) {
			failed(new SSLHandshakeException("The peer closed the connection during the TLS handshake"),
					HandshakeFailure.CLOSED);
		}
	}

	/**
	 * The TLS session broke (a handshake failure, a bad record, a timeout): the peer gets an alert if the engine
	 * has one, the handshake future fails, and the connection ends with {@code exc}.
	 */
	private void failed(SSLException exc) {
		failed(exc, classify(exc));
	}

	/** As {@link #failed(SSLException)}, counting a failed handshake as {@code reason}. */
	private void failed(SSLException exc, HandshakeFailure reason) {
		if (this.state == SslState.SHUTDOWN) {
			return;
		}
		logger.log(Level.DEBUG, () -> "TLS failed on " + this.transport, exc);
		boolean handshaking = this.state != SslState.WRAPPED && this.state != SslState.FLUSHING;
		moveTo(SslState.SHUTDOWN);
		if (handshaking) {
			this.recorder.handshakeFailed(reason);
		}
		if (this.handshakeTimer != null) {
			this.handshakeTimer.cancel();
		}
		sendAlert();
		if (handshaking || this.appTransport == null) {
			this.handshake.completeExceptionally(exc);
			this.transport.close();
		}
		else {
			this.appTransport.lost(exc);
		}
	}

	/**
	 * Returns why a handshake failed with {@code exc}: a certificate the JDK's checks refused, or a peer's alert
	 * about one ({@code bad_certificate}, {@code certificate_unknown}, {@code unknown_ca}, ...), else the protocol.
	 */
	private static HandshakeFailure classify(Throwable exc) {
		for (Throwable cause = exc; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
			if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
					|| message.contains("certificate") || message.contains("unknown_ca")) {
				return HandshakeFailure.CERTIFICATE;
			}
		}
		return HandshakeFailure.PROTOCOL;
	}

	private void sendAlert() {
		try {
			this.engine.closeOutbound();
			while (!this.engine.isOutboundDone() && !this.socketLost) {
				if (wrapAndSend(EMPTY).bytesProduced() == 0) {
					break;
				}
			}
		}
		catch (SSLException | RuntimeException ex) {
			// The engine is already broken: close without the alert.
		}
	}

	@Override
	public boolean eofReceived() {
		if (!this.closeNotifyReceived && this.state != SslState.SHUTDOWN) {
			try {
				this.engine.closeInbound();
				closeNotify();
			}
			catch (SSLException truncated) {
				// Reported apart from a clean end: the stream may have been cut by an attacker.
				failed(new SSLException("The peer ended the stream without close_notify: the data may be "
						+ "truncated", truncated), HandshakeFailure.CLOSED);
			}
		}
		return false;
	}

	@Override
	public void pauseWriting() {
		this.socketPaused = true;
	}

	@Override
	public void resumeWriting() {
		this.socketPaused = false;
		if (this.appTransport != null) {
			this.appTransport.socketWritable();
		}
	}

	@Override
	public void connectionLost(Throwable exc) {
		this.socketLost = true;
		if (this.handshakeTimer != null) {
			this.handshakeTimer.cancel();
		}
		if (this.shutdownTimer != null) {
			this.shutdownTimer.cancel();
		}
		if (this.state != SslState.SHUTDOWN) {
			this.state = this.state.moveTo(SslState.SHUTDOWN);
			if (this.appTransport == null) {
				this.recorder.handshakeFailed(HandshakeFailure.CLOSED);
				this.handshake.completeExceptionally((exc != null) ? exc
						: new SSLHandshakeException("The connection closed during the TLS handshake"));
			}
		}
		if (this.appTransport != null) {
			this.appTransport.lost((exc != null) ? exc
					: new SSLException("The connection closed without close_notify"));
		}
		Runnable whenReleased = this.released;
		this.released = null;
		if (whenReleased != null) {
			whenReleased.run();
		}
	}

	// ---------------------------------------------------------------- for the application's transport

	/** Returns {@code true} while application data may be encrypted and sent now. */
	boolean canEncrypt() {
		return !this.socketPaused && !this.socketLost
				&& (this.state == SslState.WRAPPED || this.state == SslState.FLUSHING);
	}

	/** Encrypts and sends from {@code data} while the socket takes it; leaves the rest in {@code data}. */
	void encrypt(ByteBuffer data) {
		try {
			while (data.hasRemaining() && canEncrypt()) {
				if (wrapAndSend(data).getStatus() == SSLEngineResult.Status.CLOSED) {
					return;
				}
			}
		}
		catch (SSLException ex) {
			failed(ex);
		}
	}

	void appReadingChanged(boolean reading) {
		this.appReadingPaused = !reading;
		if (this.socketLost) {
			return;
		}
		if (reading) {
			this.transport.resumeReading();
			this.loop.callSoon(this::resumePump);
		}
		else {
			this.transport.pauseReading();
		}
	}

	/**
	 * The application's transport ended: after a clean close, say close_notify and close the socket (which
	 * flushes it, within the shutdown timeout); otherwise abort the socket. Runs {@code whenReleased} once the
	 * socket is gone.
	 */
	void shutdown(boolean graceful, Runnable whenReleased) {
		if (this.socketLost) {
			whenReleased.run();
			return;
		}
		this.released = whenReleased;
		if (!graceful || this.state == SslState.SHUTDOWN) {
			if (this.state != SslState.SHUTDOWN) {
				moveTo(SslState.SHUTDOWN);
			}
			this.transport.abort();
			return;
		}
		moveTo(SslState.FLUSHING);
		moveTo(SslState.SHUTDOWN);
		sendAlert();
		this.shutdownTimer = this.loop.callLater(this.options.shutdownTimeout(), () -> {
			this.loop.callExceptionHandler(new ExceptionContext("TLS shutdown did not complete within "
					+ this.options.shutdownTimeout().toMillis() + " ms (the shutdown timeout); aborting",
					null, this.transport, this, null));
			this.transport.abort();
		});
		this.transport.close();
	}

	/**
	 * Upgrades a live plain transport to TLS in place (asyncio's {@code start_tls}): the transport's protocol
	 * becomes the layer, what was written before is sent before the handshake, and the future completes with the
	 * transport {@code app} gets, after its {@code connectionMade}. Call on the transport's loop thread.
	 * @param transport the plain transport
	 * @param app the application's protocol
	 * @param options the TLS options
	 * @param serverSide {@code true} to act as the TLS server
	 * @param settings what the TLS transport starts with
	 * @return a future of the TLS transport, completed once the handshake is done
	 */
	public static CompletableFuture<Transport> startTls(Transport transport, StreamProtocol app, TlsOptions options,
			boolean serverSide, TransportSettings settings) {
		SslProtocol layer;
		if (serverSide) {
			layer = server(transport.getLoop(), app, options, settings);
		}
		else {
			Object peer = transport.getExtraInfo(ExtraInfo.PEERNAME);
			String host = (peer instanceof java.net.InetSocketAddress inet) ? inet.getHostString() : null;
			int port = (peer instanceof java.net.InetSocketAddress inet) ? inet.getPort() : -1;
			layer = client(transport.getLoop(), app, options, settings, host, port);
		}
		transport.setProtocol(layer);
		layer.connectionMade(transport);
		return layer.handshake();
	}

	@Override
	public String toString() {
		return "SslProtocol[" + this.state + ", " + this.transport + "]";
	}

}
