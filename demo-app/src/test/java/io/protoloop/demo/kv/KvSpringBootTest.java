package io.protoloop.demo.kv;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The demo over real sockets, as the kv tests run it: every endpoint on a free port (of the loopback interface, as
 * application.yml binds them), the Unix echo off (its path is fixed, and another test context may hold it) and the
 * round-trip probe off. The kv test classes share this one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(properties = { "protoloop.endpoints.kv.port=0", "protoloop.endpoints.echo.port=0",
		"protoloop.endpoints.echo-udp.port=0", "protoloop.endpoints.echo-unix.enabled=false",
		"demo.probe.interval=0s" })
@interface KvSpringBootTest {

}
