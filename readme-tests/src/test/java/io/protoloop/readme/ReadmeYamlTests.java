package io.protoloop.readme;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.LifecycleProcessor;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import io.protoloop.boot.actuate.health.ProtoloopHealthProperties;
import io.protoloop.boot.autoconfigure.ProtoloopAutoConfiguration;
import io.protoloop.boot.autoconfigure.ProtoloopProperties;
import io.protoloop.readme.Readme.Block;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every ```yaml block of the README is configuration Protoloop accepts, each as a test of its own named by its
 * README line. First Boot's {@link Binder} binds the block's {@code protoloop.*} keys to Protoloop's
 * {@code @ConfigurationProperties} classes, and every key must land on a property: a misspelt key or a value of the
 * wrong type fails, naming its README line. Then an application context starts with the block as its
 * {@code application.yml}, Protoloop's auto-configuration and a protocol bean for each endpoint it configures (the
 * README's own class where a ```java block declares one, a stand-in otherwise; see {@link CompiledReadme}), so the
 * checks Protoloop makes when it creates its beans (ports in range, watermarks in order, kinds that match the
 * protocol, ...) run too. The context runs with a lifecycle processor that starts nothing: the endpoints are
 * resolved and validated but never bind, so a block may name fixed ports and socket paths.
 * {@code ReadmeJavaTests} starts the README's Spring application for real.
 */
@Timeout(120)
class ReadmeYamlTests {

	private static final ConfigurationPropertyName PROTOLOOP = ConfigurationPropertyName.of("protoloop");

	/** Where each {@code @ConfigurationProperties} class of Protoloop binds. */
	private static final Map<String, Class<?>> PROPERTIES = Map.of("protoloop", ProtoloopProperties.class,
			"protoloop.health", ProtoloopHealthProperties.class);

	@TestFactory
	Stream<DynamicTest> everyYamlBlockIsConfigurationProtoloopAccepts() {
		List<Block> blocks = Readme.blocks("yaml");
		assertThat(blocks).as("```yaml blocks in the README").isNotEmpty();
		return blocks.stream()
			.map((block) -> DynamicTest.dynamicTest(block.location() + " (" + block.section() + ")",
					() -> check(block)));
	}

	private void check(Block block) {
		bindsEveryProtoloopKey(block);
		// A block that configures an SSL bundle names the reader's own key files (file:/etc/tls/...), which no test
		// machine has: its keys are bound above, and the TLS endpoints start in core's and the demo's tests.
		if (ReadmeYaml.names(block).stream().noneMatch((name) -> SSL_BUNDLES.isAncestorOf(name))) {
			startsAnApplication(block);
		}
	}

	/** Where Spring Boot's SSL bundles are configured. */
	private static final ConfigurationPropertyName SSL_BUNDLES = ConfigurationPropertyName.of("spring.ssl.bundle");

	private void bindsEveryProtoloopKey(Block block) {
		List<PropertySource<?>> sources = ReadmeYaml.load(block);
		Binder binder = new Binder(ConfigurationPropertySources.from(sources));
		Set<ConfigurationPropertyName> bound = new HashSet<>();
		BindHandler recording = new AbstractBindHandler() {

			@Override
			public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
					Object result) {
				bound.add(name);
				return super.onSuccess(name, target, context, result);
			}

		};
		PROPERTIES.forEach((prefix, type) -> {
			try {
				binder.bind(prefix, Bindable.of(type), recording);
			}
			catch (RuntimeException ex) {
				throw new AssertionError(block + ": " + prefix + ".* does not bind to " + type.getSimpleName()
						+ ": " + rootCause(ex), ex);
			}
		});
		List<String> unknown = new ArrayList<>();
		for (ConfigurationPropertyName name : ReadmeYaml.names(block)) {
			if (PROTOLOOP.isAncestorOf(name) && !bound.contains(name)) {
				unknown.add(ReadmeYaml.location(block, name) + ": " + name);
			}
		}
		assertThat(unknown).as("keys of the " + block + " that are no Protoloop property").isEmpty();
	}

	private void startsAnApplication(Block block) {
		Map<String, Class<?>> protocols = CompiledReadme.get().endpointClasses();
		List<Class<?>> beans = new ArrayList<>();
		for (String endpoint : ReadmeYaml.endpoints(block).keySet()) {
			beans.add(protocols.get(endpoint));
		}
		new ApplicationContextRunner().withClassLoader(CompiledReadme.get().classLoader())
			.withConfiguration(AutoConfigurations.of(ProtoloopAutoConfiguration.class))
			.withInitializer((context) -> {
				MutablePropertySources environment = context.getEnvironment().getPropertySources();
				ReadmeYaml.load(block).forEach(environment::addLast);
			})
			.withBean("lifecycleProcessor", LifecycleProcessor.class, NoStart::new)
			.withUserConfiguration(beans.toArray(Class<?>[]::new))
			.run((context) -> assertThat(context).as(block.toString()).hasNotFailed());
	}

	private static String rootCause(Throwable ex) {
		Throwable cause = ex;
		StringBuilder message = new StringBuilder(String.valueOf(ex.getMessage()));
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
			message.append(": ").append(cause.getMessage());
		}
		return message.toString();
	}

	/** Starts nothing: the endpoints are created and validated, but never bind. */
	private static final class NoStart implements LifecycleProcessor {

		@Override
		public void onRefresh() {
		}

		@Override
		public void onClose() {
		}

		@Override
		public void start() {
		}

		@Override
		public void stop() {
		}

		@Override
		public boolean isRunning() {
			return false;
		}

	}

}
