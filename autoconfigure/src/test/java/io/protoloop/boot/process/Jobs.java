package io.protoloop.boot.process;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import io.protoloop.nio.EventLoopGroup;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.TransportAndProtocol;

/**
 * An application that runs children as users write it: a launcher bean injects the {@code EventLoopGroup} and
 * starts each child with a fresh prototype protocol bean, which reports to a singleton the way any bean would.
 */
@Configuration(proxyBeanMethods = false)
class Jobs {

	@Bean
	JobLog jobLog() {
		return new JobLog();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	JobProtocol jobProtocol(JobLog log) {
		return new JobProtocol(log);
	}

	@Bean
	JobLauncher jobLauncher(EventLoopGroup group, ObjectProvider<JobProtocol> protocols) {
		return new JobLauncher(group, protocols);
	}

	/** Runs shell command lines as children of the application's loops. */
	static final class JobLauncher {

		private final EventLoopGroup group;

		private final ObjectProvider<JobProtocol> protocols;

		JobLauncher(EventLoopGroup group, ObjectProvider<JobProtocol> protocols) {
			this.group = group;
			this.protocols = protocols;
		}

		CompletableFuture<TransportAndProtocol<SubprocessTransport, JobProtocol>> launch(String command) {
			return this.group.subprocessShell(this.protocols::getObject, command);
		}

	}

	/** What each child wrote to stdout and how it ended, by pid. */
	static final class JobLog {

		final Map<Long, CompletableFuture<String>> firstLines = new ConcurrentHashMap<>();

		final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();

		void started(long pid) {
			this.firstLines.put(pid, new CompletableFuture<>());
			this.exits.put(pid, new CompletableFuture<>());
		}

	}

	/** A child's protocol, one bean per child: reports the first line of stdout and the return code. */
	static final class JobProtocol implements SubprocessProtocol {

		private final JobLog log;

		private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

		private SubprocessTransport transport;

		JobProtocol(JobLog log) {
			this.log = log;
		}

		@Override
		public void connectionMade(SubprocessTransport transport) {
			this.transport = transport;
			this.log.started(transport.getPid());
		}

		@Override
		public void pipeDataReceived(int fd, ByteBuffer data) {
			while (fd == 1 && data.hasRemaining()) {
				byte b = data.get();
				if (b == '\n') {
					this.log.firstLines.get(this.transport.getPid())
						.complete(this.stdout.toString(StandardCharsets.UTF_8));
				}
				this.stdout.write(b);
			}
		}

		@Override
		public void processExited() {
			this.log.exits.get(this.transport.getPid()).complete(this.transport.getReturncode());
		}

	}

}
