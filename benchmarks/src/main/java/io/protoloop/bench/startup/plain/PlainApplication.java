package io.protoloop.bench.startup.plain;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.protoloop.bench.startup.StartupApp;

/**
 * The start-up benchmark's application without Protoloop: an empty Spring Boot application, alone in its package
 * so that component scanning finds nothing. Started with and without Actuator on the classpath.
 */
@SpringBootApplication
public class PlainApplication {

	public static void main(String[] args) {
		StartupApp.run(PlainApplication.class, args, (context) -> {
		});
	}

}
