package io.protoloop.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a protocol class as the protocol of a named endpoint, configured under
 * {@code protoloop.endpoints.<name>.*}. Component scanning registers it as a prototype bean: a stream protocol
 * ({@code Protocol}, {@code BufferedProtocol}) gets a fresh instance per connection and a datagram protocol one
 * instance per endpoint, each created by the bean factory, so it can be injected with other beans.
 *
 * <pre class="code">
 * &#64;ProtocolEndpoint("echo")
 * class EchoProtocol implements Protocol { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface ProtocolEndpoint {

	/**
	 * {@return the endpoint's name} It is its key under {@code protoloop.endpoints}, and the protocol bean's name.
	 */
	@AliasFor(annotation = Component.class)
	String value();

}
