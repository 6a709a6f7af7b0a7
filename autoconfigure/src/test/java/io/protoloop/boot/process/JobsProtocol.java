package io.protoloop.boot.process;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.Transport;

/**
 * A protocol bean that runs children: each connection sends one shell command line, which runs as a child on
 * the connection's own loop (so the child's callbacks may write to the connection directly); the client gets
 * {@code pid <n>} and then what the child writes to stdout. The child outlives its connection, as a job would.
 */
@ProtocolEndpoint("jobs")
class JobsProtocol implements Protocol {

	/** How each child ended, by pid: its return code. */
	static final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private Transport transport;

	@Override
	public void connectionMade(Transport transport) {
		this.transport = transport;
	}

	@Override
	public void dataReceived(ByteBuffer data) {
		while (data.hasRemaining()) {
			byte b = data.get();
			if (b == '\n') {
				run(this.line.toString(StandardCharsets.UTF_8));
				this.line.reset();
			}
			else {
				this.line.write(b);
			}
		}
	}

	private void run(String command) {
		Transport client = this.transport;
		client.getLoop().subprocessShell(() -> new SubprocessProtocol() {

			private SubprocessTransport child;

			@Override
			public void connectionMade(SubprocessTransport transport) {
				this.child = transport;
				exits.put(transport.getPid(), new CompletableFuture<>());
				client.write(("pid " + transport.getPid() + "\n").getBytes(StandardCharsets.UTF_8));
			}

			@Override
			public void pipeDataReceived(int fd, ByteBuffer data) {
				if (!client.isClosing()) {
					client.write(data);
				}
			}

			@Override
			public void processExited() {
				exits.get(this.child.getPid()).complete(this.child.getReturncode());
			}

		}, command);
	}

}
