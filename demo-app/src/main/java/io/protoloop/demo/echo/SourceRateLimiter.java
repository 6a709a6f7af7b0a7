package io.protoloop.demo.echo;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address: each holds up to {@code burst} tokens, refilled at {@code rate} per second, and
 * each datagram echoed takes one. At most {@code maxSources} buckets are kept, the least recently used forgotten,
 * so forged sources cannot grow it. Keys are comparable, so crafted addresses whose hashes collide stay a
 * logarithmic search. Confined to the endpoint's loop thread.
 */
final class SourceRateLimiter {

	private final double rate;

	private final double burst;

	private final int maxSources;

	private final LongSupplier clock;

	private final LinkedHashMap<Source, Bucket> buckets;

	/** @param clock the time in nanoseconds: the loop's, so tests can run it in virtual time */
	SourceRateLimiter(UdpEchoProperties properties, LongSupplier clock) {
		this.rate = properties.rate();
		this.burst = properties.burst();
		this.maxSources = properties.maxSources();
		this.clock = clock;
		this.buckets = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Source, Bucket> eldest) {
				return size() > SourceRateLimiter.this.maxSources;
			}

		};
	}

	/** Takes a token from {@code source}'s bucket; returns {@code false} if it has none left. */
	boolean tryAcquire(InetAddress source) {
		long now = this.clock.getAsLong();
		Bucket bucket = this.buckets.computeIfAbsent(new Source(source.getAddress()),
				(key) -> new Bucket(this.burst, now));
		bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updated) / 1e9 * this.rate);
		bucket.updated = now;
		if (bucket.tokens < 1) {
			return false;
		}
		bucket.tokens--;
		return true;
	}

	/** Returns how many sources have a bucket. */
	int sources() {
		return this.buckets.size();
	}

	/** An address's bytes, compared by content. */
	private record Source(byte[] address) implements Comparable<Source> {

		@Override
		public int compareTo(Source other) {
			return Arrays.compareUnsigned(this.address, other.address);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Source source && Arrays.equals(this.address, source.address);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.address);
		}

	}

	/** Tokens left, as of the time they were last counted. */
	private static final class Bucket {

		private double tokens;

		private long updated;

		Bucket(double tokens, long updated) {
			this.tokens = tokens;
			this.updated = updated;
		}

	}

}
