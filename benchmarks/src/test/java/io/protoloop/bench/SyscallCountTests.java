package io.protoloop.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.protoloop.bench.SyscallCount.Count;
import io.protoloop.bench.SyscallCount.Settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * {@code run.sh syscalls}: its arguments and default servers, the tracers' output read back into counts per call,
 * the per-request figures, and the load clients' window of a number of requests.
 */
class SyscallCountTests {

	@Test
	void theDefaultServersAreTheNioAndNettyOnesAndTheNativeOnesWhenAJdkIsNamed() {
		Settings settings = Settings.parse(new String[] { "--tracer=strace" }, Map.of());
		assertThat(settings.servers()).containsExactly("protoloop", "netty-epoll", "netty-io_uring", "protoloop-udp",
				"netty-epoll-udp");
		assertThat(settings.requests()).isEqualTo(100_000);
		assertThat(settings.tracer()).isEqualTo(SyscallTracer.STRACE);
		Settings withNative = Settings.parse(new String[] { "--requests=20000", "--tracer=perf" },
				Map.of(ServerJvm.ENVIRONMENT, "/opt/jdk-25"));
		assertThat(withNative.servers()).containsExactly("protoloop", "protoloop-epoll", "netty-epoll",
				"netty-io_uring", "protoloop-udp", "netty-epoll-udp", "protoloop-udp-epoll");
		assertThat(withNative.requests()).isEqualTo(20_000);
		assertThat(withNative.tracer()).isEqualTo(SyscallTracer.PERF);
	}

	@Test
	void onlyTcpAndUdpEchoServersAreCounted() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Settings.parse(new String[] { "--servers=protoloop,protoloop-kv", "--tracer=perf" },
					Map.of()))
			.withMessageStartingWith("protoloop-kv: ");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Settings.parse(new String[] { "--servers=netty-nio-tls", "--tracer=perf" }, Map.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(new String[] { "--rounds=2" }, Map.of()))
			.withMessageContaining("--rounds=2");
	}

	@Test
	void perfStatCsvGivesTheCountOfEachCallMade() {
		List<String> output = List.of("# started on Tue Dec  1 14:36:00 2026", "",
				"<not counted>,,syscalls:sys_enter_rt_sigreturn,0,100.00,,Events disabled",
				"0,,syscalls:sys_enter_mmap,32432026,100.00,,", "20000,,syscalls:sys_enter_read,32432026,100.00,,",
				"20001,,syscalls:sys_enter_write,32432026,100.00,,",
				"5000,,syscalls:sys_enter_epoll_wait,32432026,100.00,,Events disabled", "Events enabled");
		assertThat(SyscallTracer.parsePerf(output)).containsExactly(Map.entry("read", 20000L),
				Map.entry("write", 20001L), Map.entry("epoll_wait", 5000L));
	}

	@Test
	void straceTableGivesTheCountOfEachCallWithoutTheTotal() {
		List<String> output = List.of("% time     seconds  usecs/call     calls    errors syscall",
				"------ ----------- ----------- --------- --------- ----------------",
				" 52.10    0.120000           6     20000           read",
				" 40.00    0.090000           4     20000           write",
				"  7.90    0.010000           2      5000        12 epoll_wait",
				"------ ----------- ----------- --------- --------- ----------------",
				"100.00    0.220000           4     45000        12 total");
		assertThat(SyscallTracer.parseStrace(output)).containsExactly(Map.entry("read", 20000L),
				Map.entry("write", 20000L), Map.entry("epoll_wait", 5000L));
	}

	@Test
	void aCountGivesCallsPerRequestAndTheMostFrequentFirst() {
		Count count = new Count(Scenario.pingPong(100, 64), "protoloop", 20_000,
				Map.of("read", 20_000L, "write", 20_000L, "epoll_wait", 5_000L, "futex", 10L));
		assertThat(count.perRequest()).isEqualTo(45_010 / 20_000.0);
		assertThat(count.top(3)).isEqualTo("read 1.00, write 1.00, epoll_wait 0.25");
	}

	@Test
	void aWindowOfWorkEndsWithItsWorkAndFailsPastItsLimit() throws IOException {
		Span requests = Span.work(100, Duration.ofSeconds(1));
		assertThat(requests.over(0, 99)).isFalse();
		assertThat(requests.over(2_000_000_000L, 100)).isTrue();
		assertThatIOException().isThrownBy(() -> requests.over(1_000_000_000L, 99))
			.withMessage("Only 99 of 100 done in 1 s");
		Span time = Span.of(Duration.ofSeconds(1));
		assertThat(time.over(999_999_999L, 1_000_000)).isFalse();
		assertThat(time.over(1_000_000_000L, 0)).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> Span.work(0, Duration.ofSeconds(1)));
	}

}
