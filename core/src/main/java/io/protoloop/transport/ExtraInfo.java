package io.protoloop.transport;

/**
 * Keys for {@link BaseTransport#getExtraInfo(String)}, with the type of value each returns. The names are
 * asyncio's, so code and documentation read the same in both languages.
 */
public final class ExtraInfo {

	/** The remote address ({@link java.net.SocketAddress}), or {@code null} if it could not be read. */
	public static final String PEERNAME = "peername";

	/** The local address ({@link java.net.SocketAddress}). */
	public static final String SOCKNAME = "sockname";

	/** The underlying channel ({@link java.nio.channels.NetworkChannel}). */
	public static final String SOCKET = "socket";

	/** The peer's certificate chain ({@code java.security.cert.Certificate[]}), TLS only. */
	public static final String PEERCERT = "peercert";

	/** The negotiated cipher suite ({@code String}), TLS only. */
	public static final String CIPHER = "cipher";

	/** The compression in use: always {@code null}, as TLS compression is gone (asyncio returns None too). */
	public static final String COMPRESSION = "compression";

	/** The {@code javax.net.ssl.SSLContext}, TLS only. */
	public static final String SSLCONTEXT = "sslcontext";

	/** The {@code javax.net.ssl.SSLEngine}, TLS only. */
	public static final String SSL_OBJECT = "ssl_object";

	/**
	 * The pipe end the transport was made from: a {@link java.nio.channels.Pipe} channel, an
	 * {@link java.io.InputStream} or {@link java.io.OutputStream} (a FIFO's, a child's); pipe transports only.
	 */
	public static final String PIPE = "pipe";

	/** The {@link Process}, subprocess transports only. */
	public static final String SUBPROCESS = "subprocess";

	private ExtraInfo() {
	}

}
