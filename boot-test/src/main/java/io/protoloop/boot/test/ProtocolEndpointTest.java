package io.protoloop.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test slice for an application's protocols, as {@code @WebMvcTest} is for its controllers: the test's context
 * has Protoloop's auto-configuration (and Boot's SSL bundles and lifecycle), the application's
 * {@code @ProtocolEndpoint} beans (all, or those named), and an {@link EndpointClients} bean, and nothing else of
 * the application: no other scanned component, no other auto-configuration. Bring what a protocol needs with
 * {@code @Import} or {@code @MockitoBean}.
 * <p>
 * Each endpoint of the slice binds the loopback address on a free port (a fresh socket file in a temporary
 * directory for a unix endpoint), whatever {@code application.yml} says, so tests run beside a running
 * application and each other; the rest of its configuration (write buffers, TLS, timeouts...) applies as
 * configured. Endpoints configured but left out of the slice are turned off.
 *
 * <pre class="code">
 * &#64;ProtocolEndpointTest("echo")
 * class EchoProtocolTests {
 *     &#64;Autowired EndpointClients clients;
 *
 *     &#64;Test void echoesEachLine() {
 *         try (EndpointClient client = clients.connect("echo")) {
 *             assertThat(client.write("hello\n").readLine()).isEqualTo("hello");
 *         }
 *     }
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(ProtocolEndpointTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@TypeExcludeFilters(ProtocolEndpointTypeExcludeFilter.class)
@ImportAutoConfiguration
public @interface ProtocolEndpointTest {

	/**
	 * The endpoints to start, by name (the {@code @ProtocolEndpoint} value); all of the application's when empty.
	 * @return the endpoint names
	 */
	String[] value() default {};

	/**
	 * Properties in the {@code key=value} form, added to the test's environment before it starts.
	 * @return the properties
	 */
	String[] properties() default {};

}
