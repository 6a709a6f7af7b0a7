package io.protoloop.boot.autoconfigure;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedGenericBeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.GenericBeanDefinition;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import io.protoloop.boot.ProtocolEndpoint;
import io.protoloop.boot.autoconfigure.TestProtocols.EchoProtocol;
import io.protoloop.boot.autoconfigure.TestProtocols.Greeting;
import io.protoloop.boot.autoconfigure.TestProtocols.UdpEchoProtocol;
import io.protoloop.protocol.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProtocolEndpointBeans} finds, from the bean definitions, exactly the beans that
 * {@code getBeanNamesForAnnotation} finds by predicting every bean's type: each case is checked against it.
 */
class ProtocolEndpointBeansTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withBean(Greeting.class, () -> new Greeting("hello"));

	@Test
	void findsARegisteredAnnotatedClass() {
		this.runner.withUserConfiguration(EchoProtocol.class)
			.run((context) -> assertFound(context.getBeanFactory(), "echo", EchoProtocol.class));
	}

	@Test
	void findsADefinitionKnownOnlyByClassName() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		GenericBeanDefinition definition = new GenericBeanDefinition();
		definition.setBeanClassName(UdpEchoProtocol.class.getName());
		beanFactory.registerBeanDefinition("udp", definition);
		assertFound(beanFactory, "echo-udp", UdpEchoProtocol.class);
	}

	@Test
	void findsABeanMethodReturningAnAnnotatedClass() {
		this.runner.withUserConfiguration(EchoMethodConfiguration.class)
			.run((context) -> assertFound(context.getBeanFactory(), "echo", EchoProtocol.class));
	}

	@Test
	void findsAnAnnotatedSuperclass() {
		this.runner.withUserConfiguration(SubclassConfiguration.class)
			.run((context) -> assertFound(context.getBeanFactory(), "echo", LoudEchoProtocol.class));
	}

	@Test
	void findsAnAnnotatedSuperclassOfARegisteredClass() {
		this.runner.withUserConfiguration(LoudEchoProtocol.class)
			.run((context) -> assertFound(context.getBeanFactory(), "echo", LoudEchoProtocol.class));
	}

	@Test
	void findsAnAnnotatedInterface() {
		this.runner.withUserConfiguration(InterfaceEchoProtocol.class)
			.run((context) -> assertFound(context.getBeanFactory(), "by-interface", InterfaceEchoProtocol.class));
	}

	@Test
	void doesNotLookBehindTheReturnTypeOfABeanMethod() {
		this.runner.withUserConfiguration(InterfaceMethodConfiguration.class)
			.run((context) -> assertFound(context.getBeanFactory(), null, null));
	}

	@Test
	void findsAComposedAnnotation() {
		this.runner.withUserConfiguration(ComposedProtocol.class)
			.run((context) -> assertFound(context.getBeanFactory(), "composed", ComposedProtocol.class));
	}

	@Test
	void findsTheProductOfAFactoryBean() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("factory", new AnnotatedGenericBeanDefinition(UdpEchoFactoryBean.class));
		assertFound(beanFactory, "echo-udp", UdpEchoProtocol.class);
	}

	@Test
	void findsASingletonRegisteredWithoutADefinition() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("udp", new UdpEchoProtocol());
		assertFound(beanFactory, "echo-udp", UdpEchoProtocol.class);
	}

	@Test
	void skipsAbstractDefinitions() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		AnnotatedGenericBeanDefinition definition = new AnnotatedGenericBeanDefinition(UdpEchoProtocol.class);
		definition.setAbstract(true);
		beanFactory.registerBeanDefinition("template", definition);
		assertFound(beanFactory, null, null);
	}

	/**
	 * Asserts that the only annotated bean has endpoint name {@code endpoint} and type {@code type} (none if
	 * {@code null}), and that {@code getBeanNamesForAnnotation} finds the same beans.
	 */
	private static void assertFound(ConfigurableListableBeanFactory beanFactory, String endpoint, Class<?> type) {
		List<ProtocolEndpointBeans.Found> found = ProtocolEndpointBeans.find(beanFactory);
		assertThat(found.stream().map(ProtocolEndpointBeans.Found::beanName))
			.containsExactly(beanFactory.getBeanNamesForAnnotation(ProtocolEndpoint.class));
		if (endpoint == null) {
			assertThat(found).isEmpty();
		}
		else {
			assertThat(found).singleElement().satisfies((bean) -> {
				assertThat(bean.endpoint()).isEqualTo(endpoint);
				assertThat(bean.type()).isEqualTo(type);
			});
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class EchoMethodConfiguration {

		@Bean
		@Scope("prototype")
		EchoProtocol echoProtocol(Greeting greeting) {
			return new EchoProtocol(greeting);
		}

	}

	/** Not annotated itself: the annotation is on its superclass. */
	static class LoudEchoProtocol extends EchoProtocol {

		LoudEchoProtocol(Greeting greeting) {
			super(greeting);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SubclassConfiguration {

		@Bean
		@Scope("prototype")
		LoudEchoProtocol loudEchoProtocol(Greeting greeting) {
			return new LoudEchoProtocol(greeting);
		}

	}

	/** The bean's type is the method's declared type, as the bean factory predicts it for a prototype. */
	@Configuration(proxyBeanMethods = false)
	static class InterfaceMethodConfiguration {

		@Bean
		@Scope("prototype")
		Protocol echoProtocol(Greeting greeting) {
			return new EchoProtocol(greeting);
		}

	}

	/** An annotation of the application's own that names an endpoint through {@code @ProtocolEndpoint}. */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@ProtocolEndpoint("composed")
	@interface ComposedEndpoint {

	}

	/** An interface that names the endpoint of every class implementing it. */
	@ProtocolEndpoint("by-interface")
	interface AnnotatedProtocol extends Protocol {

	}

	/** Not annotated itself: the annotation is on its interface. */
	static class InterfaceEchoProtocol implements AnnotatedProtocol {

		@Override
		public void dataReceived(ByteBuffer data) {
			data.position(data.limit());
		}

	}

	/** Discards what it receives. */
	@ComposedEndpoint
	static class ComposedProtocol implements Protocol {

		@Override
		public void dataReceived(ByteBuffer data) {
			data.position(data.limit());
		}

	}

	/** Makes a datagram protocol: its product, not the factory, is the bean's type. */
	static class UdpEchoFactoryBean implements FactoryBean<UdpEchoProtocol> {

		@Override
		public UdpEchoProtocol getObject() {
			return new UdpEchoProtocol();
		}

		@Override
		public Class<?> getObjectType() {
			return UdpEchoProtocol.class;
		}

	}

}
