package io.protoloop.boot.sample;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A small application as users write it: annotated protocols found by component scanning. */
@SpringBootApplication
public class SampleApplication {

	@Bean
	Counter counter() {
		return new Counter();
	}

}
