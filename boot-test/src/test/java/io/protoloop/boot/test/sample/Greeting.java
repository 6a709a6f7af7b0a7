package io.protoloop.boot.test.sample;

import org.springframework.stereotype.Component;

/** A bean a protocol needs: a slice leaves it out unless the test imports it. */
@Component
public class Greeting {

	String text() {
		return "hello";
	}

}
