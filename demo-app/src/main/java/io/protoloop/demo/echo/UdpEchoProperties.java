package io.protoloop.demo.echo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the UDP echo ({@code demo.echo.udp.*}): how much it echoes to one source address, so it cannot be
 * turned into a reflector of much traffic at a forged victim.
 * @param rate datagrams per second echoed to one source address, on average
 * @param burst datagrams echoed to one source address at once, after it was quiet
 * @param maxSources source addresses tracked at once; the least recently seen is forgotten past it
 */
@ConfigurationProperties("demo.echo.udp")
public record UdpEchoProperties(@DefaultValue("100") double rate, @DefaultValue("200") int burst,
		@DefaultValue("10000") int maxSources) {

	/** The defaults above, for code that runs without Spring (tests). */
	public static final UdpEchoProperties DEFAULTS = new UdpEchoProperties(100, 200, 10_000);

}
