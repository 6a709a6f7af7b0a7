package io.protoloop.boot.context;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the port an endpoint actually bound, like Boot's {@code @LocalServerPort}: handy with
 * {@code port: 0} in tests. Works on fields of test classes and of beans created after the endpoints started;
 * the value comes from {@code local.protoloop.endpoints.<name>.port}, which can also be read with
 * {@code @Value}.
 *
 * <pre class="code">
 * &#64;LocalEndpointPort("echo")
 * int echoPort;
 * </pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LocalEndpointPort {

	/**
	 * {@return the name of the endpoint whose port to inject, as under {@code protoloop.endpoints}}
	 */
	String value();

}
