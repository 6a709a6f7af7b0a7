package io.protoloop.boot.actuate;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint;
import io.protoloop.boot.actuate.endpoint.ProtoloopActuatorEndpoint.LoopDescriptor;
import io.protoloop.loop.EventLoop;
import io.protoloop.nio.EventLoopGroup;
import io.protoloop.process.Stdio;
import io.protoloop.process.SubprocessOptions;
import io.protoloop.protocol.Protocol;
import io.protoloop.protocol.SubprocessProtocol;
import io.protoloop.transport.SubprocessTransport;
import io.protoloop.transport.WritePipeTransport;

import static io.protoloop.boot.actuate.ProtoloopActuatorTests.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's loop view counts each loop's running children and open pipes: an application that injects the
 * loop group starts children and a pipe on chosen loops, and the counts go up on those loops and back down as
 * the children end and the pipe closes.
 */
@Timeout(60)
class ChildProcessActuatorTests {

	@Test
	void eachLoopCountsItsRunningChildrenAndOpenPipesUpAndDown() {
		ProtoloopActuatorTests.runner().run((context) -> {
			ProtoloopActuatorEndpoint endpoint = context.getBean(ProtoloopActuatorEndpoint.class);
			EventLoopGroup group = context.getBean(EventLoopGroup.class);
			EventLoop first = group.loops().get(0);
			EventLoop second = group.loops().get(1);
			assertThat(endpoint.protoloop().loops()).allSatisfy((loop) -> {
				assertThat(loop.runningChildren()).isZero();
				assertThat(loop.openPipes()).isZero();
			});

			// Two cats on the second loop (three pipes each), one without stderr on the first, and a pipe there.
			SubprocessTransport catA = start(second, SubprocessOptions.DEFAULT);
			SubprocessTransport catB = start(second, SubprocessOptions.DEFAULT);
			SubprocessTransport catC = start(first,
					SubprocessOptions.DEFAULT.withStderr(Stdio.DISCARD));
			Pipe pipe = Pipe.open();
			WritePipeTransport writer = first.connectWritePipe(Quiet::new, pipe.sink()).get(10, TimeUnit.SECONDS)
				.transport();

			List<LoopDescriptor> loops = endpoint.protoloop().loops();
			assertThat(loops.get(0).runningChildren()).isEqualTo(1);
			assertThat(loops.get(0).openPipes()).isEqualTo(2 + 1);
			assertThat(loops.get(1).runningChildren()).isEqualTo(2);
			assertThat(loops.get(1).openPipes()).isEqualTo(6);

			// Ending stdin ends a cat: its stdout and stderr end, then the child.
			second.submit(() -> {
				catA.stdinPipe().close();
				return null;
			}).get(10, TimeUnit.SECONDS);
			awaitTrue(() -> endpoint.protoloop().loops().get(1).runningChildren() == 1);
			assertThat(endpoint.protoloop().loops().get(1).openPipes()).isEqualTo(3);

			second.submit(() -> {
				catB.kill();
				return null;
			}).get(10, TimeUnit.SECONDS);
			first.submit(() -> {
				catC.stdinPipe().close();
				writer.close();
				return null;
			}).get(10, TimeUnit.SECONDS);
			awaitTrue(() -> endpoint.protoloop().loops().stream()
				.allMatch((loop) -> loop.runningChildren() == 0 && loop.openPipes() == 0));
			pipe.source().close();
		});
	}

	private static SubprocessTransport start(EventLoop loop, SubprocessOptions options) throws Exception {
		return loop.subprocessExec(Child::new, List.of("cat"), options).get(10, TimeUnit.SECONDS).transport();
	}

	/** A child's protocol that ignores what the child writes. */
	static final class Child implements SubprocessProtocol {

	}

	/** A pipe's protocol that ignores what it reads. */
	static final class Quiet implements Protocol {

		@Override
		public void dataReceived(ByteBuffer data) {
		}

	}

}
