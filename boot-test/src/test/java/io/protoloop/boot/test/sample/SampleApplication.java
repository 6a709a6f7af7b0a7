package io.protoloop.boot.test.sample;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application as users write it: protocols and a service, found by component scanning. */
@SpringBootApplication
public class SampleApplication {

}
