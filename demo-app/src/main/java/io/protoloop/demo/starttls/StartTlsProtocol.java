package io.protoloop.demo.starttls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import javax.net.ssl.SSLEngine;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.tls.TlsOptions;
import io.protoloop.transport.ExtraInfo;
import io.protoloop.transport.Transport;

/**
 * A small line protocol that starts in plain text and upgrades the same connection to TLS on a command, as SMTP,
 * IMAP and PostgreSQL do. Commands, one per line: {@code ECHO <text>} (answers {@code 250 <text>}),
 * {@code STATUS} ({@code 250 plain}, or the TLS version and cipher), {@code STARTTLS} ({@code 220}, then the TLS
 * handshake; the dialogue goes on over TLS) and {@code QUIT}. The greeting and {@code EHLO} (which lists
 * {@code STARTTLS}) follow SMTP, so {@code openssl s_client -starttls smtp} can drive it.
 *
 * <p>The upgrade is {@code loop.startTls(transport, this, options, true)}: the socket stays, a TLS layer goes
 * between it and this protocol, and {@code connectionMade} runs again with the TLS transport. Nothing may follow
 * {@code STARTTLS} before the handshake: bytes already read behind it would otherwise be taken as if they had come
 * over TLS (the STARTTLS command injection of CVE-2011-0411), so the connection is closed instead.
 */
@ProtocolEndpoint("starttls")
public class StartTlsProtocol implements Protocol {

	/** Longest line accepted; a longer one closes the connection. */
	private static final int MAX_LINE = 1024;

	private final TlsOptions tls;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private Transport transport;

	public StartTlsProtocol(TlsOptions startTlsOptions) {
		this.tls = startTlsOptions;
	}

	@Override
	public void connectionMade(Transport transport) {
		boolean upgraded = this.transport != null;
		this.transport = transport;
		if (!upgraded) {
			reply("220 protoloop STARTTLS demo: EHLO, ECHO <text>, STATUS, STARTTLS, QUIT");
		}
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		while (data.hasRemaining()) {
			byte b = data.get();
			if (b != '\n') {
				this.line.write(b);
				if (this.line.size() > MAX_LINE) {
					reply("500 line longer than " + MAX_LINE + " bytes");
					this.transport.close();
					return;
				}
				continue;
			}
			String command = this.line.toString(StandardCharsets.UTF_8).strip();
			this.line.reset();
			if (!handle(command, data.hasRemaining())) {
				return;
			}
		}
	}

	/** Answers one command; returns {@code false} when the rest of the input must not be read as plain text. */
	private boolean handle(String command, boolean moreFollows) {
		String verb = command.split(" ", 2)[0].toUpperCase(Locale.ROOT);
		switch (verb) {
			case "EHLO" -> reply((engine() != null) ? "250 protoloop" : "250 STARTTLS");
			case "ECHO" -> reply("250 " + command.substring(verb.length()).strip());
			case "STATUS" -> reply("250 " + status());
			case "QUIT" -> {
				reply("221 bye");
				this.transport.close();
				return false;
			}
			case "STARTTLS" -> {
				return startTls(moreFollows);
			}
			default -> reply("500 unknown command: " + verb);
		}
		return true;
	}

	private boolean startTls(boolean moreFollows) {
		if (engine() != null) {
			reply("503 TLS is already on");
			return true;
		}
		if (moreFollows) {
			reply("501 nothing may follow STARTTLS before the TLS handshake");
			this.transport.close();
			return false;
		}
		reply("220 go ahead with TLS");
		// The reply goes out before the handshake; connectionMade runs again with the TLS transport.
		this.transport.getLoop().startTls(this.transport, this, this.tls, true);
		return false;
	}

	private String status() {
		SSLEngine engine = engine();
		return (engine != null) ? engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite()
				: "plain";
	}

	private SSLEngine engine() {
		return (SSLEngine) this.transport.getExtraInfo(ExtraInfo.SSL_OBJECT);
	}

	private void reply(String text) {
		this.transport.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
	}

}
