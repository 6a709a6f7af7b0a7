package io.protoloop.demo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The demo as the hostile-client tests run it, on free ports with the probe and the Unix echo off, and limits
 * small enough to reach: a 16 MB store, 2 MB of partial input in all, a password (so the kv clients authenticate
 * first), no transport write cap on kv (kv bounds its output itself), and 5 datagrams per source for the UDP echo
 * with next to no refill (so one test may use up 127.0.0.1's burst). The test classes share this one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(properties = { "protoloop.endpoints.kv.port=0", "protoloop.endpoints.echo.port=0",
		"protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-unix.enabled=false",
		"demo.probe.interval=0s", "protoloop.endpoints.kv.write-buffer.max=-1", "demo.kv.max-memory=16MB",
		"demo.kv.max-input-total=2MB", "demo.kv.password=" + HostileClientsTest.PASSWORD, "demo.echo.udp.burst=5",
		"demo.echo.udp.rate=0.001" })
public @interface HostileClientsTest {

	/** The kv password of this context. */
	String PASSWORD = "hostile-clients-test";

}
