package io.protoloop.demo.echo;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-source token buckets on a clock the test moves: burst, refill, sources apart, and a bounded table. */
@Timeout(30)
class SourceRateLimiterTests {

	private long now = TimeUnit.SECONDS.toNanos(1000);

	private final SourceRateLimiter limiter = new SourceRateLimiter(new UdpEchoProperties(10, 5, 3), () -> this.now);

	@Test
	void aSourceGetsItsBurstThenItsRate() throws Exception {
		InetAddress source = InetAddress.getByName("203.0.113.7");
		assertThat(acquired(source, 20)).isEqualTo(5);
		this.now += TimeUnit.MILLISECONDS.toNanos(300);
		assertThat(acquired(source, 20)).as("10 per second for 0.3 s").isEqualTo(3);
		this.now += TimeUnit.SECONDS.toNanos(60);
		assertThat(acquired(source, 20)).as("never more than the burst").isEqualTo(5);
	}

	@Test
	void eachSourceHasItsOwnBucketAndOnlyTheMostRecentAreKept() throws Exception {
		InetAddress first = InetAddress.getByName("203.0.113.1");
		assertThat(acquired(first, 20)).isEqualTo(5);
		assertThat(acquired(InetAddress.getByName("203.0.113.2"), 20)).isEqualTo(5);
		assertThat(acquired(InetAddress.getByName("2001:db8::1"), 20)).isEqualTo(5);
		assertThat(this.limiter.sources()).isEqualTo(3);
		assertThat(acquired(InetAddress.getByName("203.0.113.4"), 1)).isOne();
		assertThat(this.limiter.sources()).as("bounded").isEqualTo(3);
		assertThat(acquired(first, 1)).as("forgotten, so full again").isOne();
	}

	private int acquired(InetAddress source, int attempts) {
		int acquired = 0;
		for (int i = 0; i < attempts; i++) {
			if (this.limiter.tryAcquire(source)) {
				acquired++;
			}
		}
		return acquired;
	}

}
