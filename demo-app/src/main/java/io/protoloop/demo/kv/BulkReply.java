package io.protoloop.demo.kv;

import java.util.Collections;
import java.util.List;

/**
 * A reply of bulk strings, one (GET, ECHO) or an array of them (MGET), written a piece at a time: when the client
 * stops keeping up, writing stops, and goes on at resumeWriting. So a reply of any size keeps the connection's
 * write buffer near its high watermark, where writing it whole would buffer all of it (an MGET of one 1 MiB value
 * 1,023 times is 1 GiB). The values are taken when the command runs; the store's arrays never change.
 */
final class BulkReply {

	private final List<byte[]> values;

	private final boolean array;

	private boolean started;

	/** The value being written. */
	private int next;

	/** How much of it is written, or -1 before its header. */
	private int offset = -1;

	private BulkReply(List<byte[]> values, boolean array) {
		this.values = values;
		this.array = array;
	}

	/** A single bulk string, or the null bulk string for {@code null}. */
	static BulkReply of(byte[] value) {
		return new BulkReply(Collections.singletonList(value), false);
	}

	/** An array of bulk strings, {@code null} elements as null bulk strings. */
	static BulkReply array(List<byte[]> values) {
		return new BulkReply(values, true);
	}

	/** Returns the reply's size on the wire, in bytes. */
	long size() {
		long size = this.array ? RespWriter.headerSize(this.values.size()) : 0;
		for (byte[] value : this.values) {
			size += RespWriter.bulkStringSize(value);
		}
		return size;
	}

	/**
	 * Writes more of the reply, until it is whole or the client stops keeping up.
	 * @return {@code true} once the whole reply is written
	 */
	boolean writeTo(RespWriter out) {
		if (!this.started) {
			this.started = true;
			if (this.array) {
				out.arrayHeader(this.values.size());
			}
		}
		while (this.next < this.values.size()) {
			if (out.isPaused()) {
				return false;
			}
			byte[] value = this.values.get(this.next);
			if (value == null) {
				out.nullBulkString();
				this.next++;
			}
			else if (this.offset < 0) {
				out.bulkHeader(value.length);
				this.offset = 0;
			}
			else if (this.offset < value.length) {
				this.offset = out.bulkData(value, this.offset);
			}
			else {
				out.crlf();
				this.next++;
				this.offset = -1;
			}
		}
		return true;
	}

}
