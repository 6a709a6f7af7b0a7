package io.protoloop.demo.kv;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The partial input all kv connections may hold together ({@code demo.kv.max-input-total}). The parser's limits
 * bound one connection; this bounds what a crowd of slow clients, each within those limits, holds in all. Each
 * connection has a {@link Share} and tells it what its parser holds after every read. When the total passes the
 * limit, the shares holding the most are revoked until it is back under: their memory leaves the total at once,
 * and their connections are told to close. Thread safe: connections run on several loops.
 */
@Component
public class InputBudget {

	private final long limit;

	// Guarded by this.
	private final Set<Share> shares = new HashSet<>();

	private long total;

	@Autowired
	public InputBudget(KvProperties properties) {
		this(properties.maxInputTotal().toBytes());
	}

	InputBudget(long limit) {
		this.limit = limit;
	}

	/**
	 * Opens a share for one connection.
	 * @param onRevoked run once if the share is revoked, on the thread of whichever connection went over the
	 * limit: it must hand the work to the connection's own loop
	 */
	public synchronized Share open(Runnable onRevoked) {
		Share share = new Share(onRevoked);
		this.shares.add(share);
		return share;
	}

	/** Returns what all open shares hold. */
	public synchronized long total() {
		return this.total;
	}

	/** Revokes the largest shares until the total is within the limit; returns them. */
	private List<Share> revokeLargest() {
		List<Share> revoked = new ArrayList<>();
		while (this.total > this.limit) {
			Share largest = null;
			for (Share share : this.shares) {
				if (largest == null || share.held > largest.held) {
					largest = share;
				}
			}
			this.total -= largest.held;
			largest.held = 0;
			this.shares.remove(largest);
			revoked.add(largest);
		}
		return revoked;
	}

	/** One connection's part of the budget. */
	public final class Share {

		private final Runnable onRevoked;

		// Guarded by InputBudget.this.
		private long held;

		private Share(Runnable onRevoked) {
			this.onRevoked = onRevoked;
		}

		/** Sets what the connection holds now; past the limit, revokes the largest shares, maybe this one. */
		public void hold(long bytes) {
			List<Share> revoked;
			synchronized (InputBudget.this) {
				if (!InputBudget.this.shares.contains(this)) {
					return;
				}
				InputBudget.this.total += bytes - this.held;
				this.held = bytes;
				revoked = revokeLargest();
			}
			revoked.forEach((share) -> share.onRevoked.run());
		}

		/** Gives the share back, when its connection is lost; idempotent. */
		public void close() {
			synchronized (InputBudget.this) {
				if (InputBudget.this.shares.remove(this)) {
					InputBudget.this.total -= this.held;
					this.held = 0;
				}
			}
		}

	}

}
