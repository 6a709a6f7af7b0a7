package io.protoloop.demo.kv;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the kv endpoint ({@code demo.kv.*}): what one client, and all of them together, may make the
 * process hold, and who may connect.
 * @param maxMemory most bytes the store holds: keys and values plus {@value KeyValueStore#ENTRY_OVERHEAD} bytes
 * per entry
 * @param evictionPolicy what a write does when the store is full: refuse it ({@code noeviction}) or evict the least
 * recently used keys ({@code allkeys-lru})
 * @param maxReplySize largest reply one command may ask for; a larger one is refused with an error
 * @param maxOutputBuffer most replies a connection may have waiting to be sent, its write buffer included; past it
 * the connection is closed (replies stop at the high watermark, so only a misconfiguration reaches it)
 * @param maxInputTotal most partial input all connections may hold together; past it the connections holding the
 * most are closed with an error
 * @param password password clients must give with AUTH before any other command; unset for none
 * @param protectedMode whether, with no password, clients from anywhere but the loopback interface are refused
 */
@ConfigurationProperties("demo.kv")
public record KvProperties(@DefaultValue("64MB") DataSize maxMemory,
		@DefaultValue("noeviction") EvictionPolicy evictionPolicy, @DefaultValue("32MB") DataSize maxReplySize,
		@DefaultValue("1MB") DataSize maxOutputBuffer, @DefaultValue("64MB") DataSize maxInputTotal, String password,
		@DefaultValue("true") boolean protectedMode) {

	/** The defaults above, for code that runs without Spring (tests, benchmarks). */
	public static final KvProperties DEFAULTS = new KvProperties(DataSize.ofMegabytes(64), EvictionPolicy.NOEVICTION,
			DataSize.ofMegabytes(32), DataSize.ofMegabytes(1), DataSize.ofMegabytes(64), null, true);

	/** Returns a copy with another password ({@code null} for none). */
	public KvProperties withPassword(String password) {
		return new KvProperties(this.maxMemory, this.evictionPolicy, this.maxReplySize, this.maxOutputBuffer,
				this.maxInputTotal, password, this.protectedMode);
	}

}
