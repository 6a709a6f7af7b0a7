package io.protoloop.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplication.AbandonedRunException;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import io.protoloop.boot.EndpointKind;
import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.boot.endpoint.ProtocolEndpoints;
import io.protoloop.demo.echo.EchoProtocol;
import io.protoloop.demo.echo.UdpEchoProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The demo processed ahead of time, as the Spring Boot build plugin does it: the context prepared by the demo's
 * {@code main} (application.yml, auto-configuration) goes through Spring AOT; the {@code @ProtocolEndpoint}
 * classes must get their reflection hints, and the generated initializer, compiled, must run the endpoints.
 * The forked class loader lets the generated code reach the package-private classes and {@code @Bean} methods it
 * targets (without it: {@code IllegalAccessError}).
 */
@CompileWithForkedClassLoader
@Timeout(120)
class DemoAotTests {

	/** The same overrides as the other tests: free ports on the loopback interface. */
	private static final Map<String, Object> PROPERTIES = properties();

	@Test
	void protocolEndpointClassesGetReflectionHints() {
		processAheadOfTime((generationContext, initializer) -> {
			RuntimeHints hints = generationContext.getRuntimeHints();
			for (Class<?> protocol : List.of(EchoProtocol.class, UdpEchoProtocol.class)) {
				assertThat(RuntimeHintsPredicates.reflection()
					.onType(protocol)
					.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).as(protocol.getName()).accepts(hints);
			}
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EchoProtocol.class, "dataReceived"))
				.accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onType(ProtocolEndpoint.class)).accepts(hints);
		});
	}

	@Test
	void theGeneratedInitializerRunsTheEchoEndpoint() {
		processAheadOfTime((generationContext, initializer) -> TestCompiler.forSystem()
			.with(generationContext)
			.compile((compiled) -> {
				@SuppressWarnings("unchecked")
				ApplicationContextInitializer<GenericApplicationContext> generated = compiled
					.getInstance(ApplicationContextInitializer.class, initializer.reflectionName());
				try (GenericApplicationContext context = new GenericApplicationContext()) {
					context.setEnvironment(runtimeEnvironment());
					// What SpringApplication gives every context: conversions such as "1s" to a Duration.
					context.getBeanFactory().setConversionService(ApplicationConversionService.getSharedInstance());
					generated.initialize(context);
					context.refresh();
					// The bean definitions come from the generated code: no configuration class is parsed at runtime.
					assertThat(context.containsBeanDefinition(
							AnnotationConfigUtils.CONFIGURATION_ANNOTATION_PROCESSOR_BEAN_NAME)).isFalse();
					assertThat(context.getBeanDefinition("echo").isPrototype()).isTrue();
					ProtocolEndpoints endpoints = context.getBean(ProtocolEndpoints.class);
					assertThat(endpoints.running()).extracting((endpoint) -> endpoint.kind())
						.containsExactlyInAnyOrder(EndpointKind.TCP, EndpointKind.UDP, EndpointKind.UNIX, EndpointKind.TCP,
								EndpointKind.TCP, EndpointKind.TCP);
					int port = context.getEnvironment().getRequiredProperty("local.protoloop.endpoints.echo.port",
							Integer.class);
					assertThat(echo(port, "hello from AOT\n")).isEqualTo("hello from AOT\n");
				}
			}));
	}

	/**
	 * Prepares the demo's context through its {@code main} method, stopped before refresh as Boot's
	 * {@code SpringApplicationAotProcessor} does, processes it ahead of time and hands over the generated files
	 * and the name of the generated initializer.
	 */
	private static void processAheadOfTime(BiConsumer<TestGenerationContext, ClassName> action) {
		GenericApplicationContext context = prepareApplicationContext();
		try {
			TestGenerationContext generationContext = new TestGenerationContext(DemoApplication.class);
			ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
			generationContext.writeGeneratedContent();
			action.accept(generationContext, initializer);
		}
		finally {
			context.close();
		}
	}

	private static GenericApplicationContext prepareApplicationContext() {
		String[] args = PROPERTIES.entrySet().stream().map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		try {
			SpringApplication.withHook((application) -> new SpringApplicationRunListener() {

				@Override
				public void contextLoaded(ConfigurableApplicationContext context) {
					throw new AbandonedRunException(context);
				}

			}, () -> DemoApplication.main(args));
		}
		catch (AbandonedRunException ex) {
			assertThat(ex.getApplicationContext()).isInstanceOf(GenericApplicationContext.class);
			return (GenericApplicationContext) ex.getApplicationContext();
		}
		return fail("DemoApplication.main did not run a SpringApplication");
	}

	/** The environment the processed application starts with: the overrides, then application.yml. */
	private static StandardEnvironment runtimeEnvironment() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", PROPERTIES));
		try {
			for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml",
					new ClassPathResource("application.yml"))) {
				environment.getPropertySources().addLast(source);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return environment;
	}

	private static String echo(int port, String message) {
		byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
		try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
			ByteBuffer out = ByteBuffer.wrap(bytes);
			while (out.hasRemaining()) {
				client.write(out);
			}
			ByteBuffer in = ByteBuffer.allocate(bytes.length);
			while (in.hasRemaining()) {
				if (client.read(in) == -1) {
					fail("EOF after %d of %d bytes", in.position(), bytes.length);
				}
			}
			return new String(in.array(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, Object> properties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		// Processed as a plain application context: the web server is Boot's concern, the endpoints are ours.
		properties.put("spring.main.web-application-type", "none");
		properties.put("protoloop.endpoints.echo.port", "0");
		properties.put("protoloop.endpoints.echo.host", "127.0.0.1");
		properties.put("protoloop.endpoints.echo-udp.port", "0");
		properties.put("protoloop.endpoints.echo-udp.host", "127.0.0.1");
		properties.put("protoloop.endpoints.kv.port", "0");
		properties.put("protoloop.endpoints.kv.host", "127.0.0.1");
		properties.put("protoloop.endpoints.echo-tls.port", "0");
		properties.put("protoloop.endpoints.echo-tls.host", "127.0.0.1");
		properties.put("protoloop.endpoints.starttls.port", "0");
		properties.put("protoloop.endpoints.starttls.host", "127.0.0.1");
		try {
			properties.put("protoloop.endpoints.echo-unix.path",
					java.nio.file.Files.createTempDirectory("protoloop-aot").resolve("echo.sock").toString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return properties;
	}

}
