package io.protoloop.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

import io.protoloop.boot.ProtocolEndpoint;

/**
 * Finds the beans annotated {@code @ProtocolEndpoint}, as {@code getBeanNamesForAnnotation} does (on the bean's type
 * and its superclasses and interfaces, directly or as a meta-annotation, or on its {@code @Bean} method), but reads
 * each type from its bean definition: the class of a scanned or registered bean, the declared return type of a
 * {@code @Bean} method. {@code getBeanNamesForAnnotation} asks the bean factory for every bean's type and searches
 * it by reflection, which parses again the annotations of every configuration class that Spring read from its class
 * file: 20-45 ms of start-up, against a quarter of that here. Only the definitions whose type a definition cannot
 * tell (factory beans, child definitions, factory methods without metadata) and singletons registered without a
 * definition fall back to the bean factory's type prediction.
 */
final class ProtocolEndpointBeans {

	private ProtocolEndpointBeans() {
	}

	/**
	 * An annotated bean.
	 * @param beanName the bean's name
	 * @param endpoint the endpoint name, the annotation's value
	 * @param type the bean's type, as the bean factory predicts it, or {@code null} where it cannot
	 */
	record Found(String beanName, String endpoint, Class<?> type) {
	}

	/** Returns the annotated beans of {@code beanFactory}, in the order of their registration. */
	static List<Found> find(ConfigurableListableBeanFactory beanFactory) {
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		List<Found> found = new ArrayList<>();
		for (String beanName : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
			if (definition.isAbstract()) {
				continue;
			}
			Class<?> declared = declaredType(definition, classLoader);
			MergedAnnotation<ProtocolEndpoint> annotation = (declared != null) ? annotation(definition, declared)
					: annotation(beanFactory.getType(beanName));
			if (!annotation.isPresent() && definition instanceof AnnotatedBeanDefinition annotated
					&& annotated.getFactoryMethodMetadata() != null) {
				annotation = annotated.getFactoryMethodMetadata().getAnnotations().get(ProtocolEndpoint.class);
			}
			if (annotation.isPresent()) {
				found.add(new Found(beanName, annotation.getString("value"), beanFactory.getType(beanName)));
			}
		}
		for (String beanName : beanFactory.getSingletonNames()) {
			if (!beanFactory.containsBeanDefinition(beanName)) {
				Class<?> type = beanFactory.getType(beanName);
				MergedAnnotation<ProtocolEndpoint> annotation = annotation(type);
				if (annotation.isPresent()) {
					found.add(new Found(beanName, annotation.getString("value"), type));
				}
			}
		}
		return found;
	}

	/**
	 * Returns the type that {@code definition} declares for its bean, or {@code null} where only the bean factory
	 * can tell: the type a factory bean makes, a child definition's, a factory method's known only by name.
	 */
	private static Class<?> declaredType(BeanDefinition definition, ClassLoader classLoader) {
		if (definition.getParentName() != null) {
			return null;
		}
		Class<?> type;
		if (definition.getFactoryMethodName() != null) {
			MethodMetadata method = (definition instanceof AnnotatedBeanDefinition annotated)
					? annotated.getFactoryMethodMetadata() : null;
			type = (method != null) ? load(method.getReturnTypeName(), classLoader) : null;
		}
		else if (definition instanceof AbstractBeanDefinition bean && bean.hasBeanClass()) {
			type = bean.getBeanClass();
		}
		else {
			type = (definition.getBeanClassName() != null) ? load(definition.getBeanClassName(), classLoader) : null;
		}
		return (type != null && !FactoryBean.class.isAssignableFrom(type)) ? type : null;
	}

	private static Class<?> load(String className, ClassLoader classLoader) {
		try {
			return ClassUtils.forName(className, classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

	/**
	 * Returns the annotation on {@code type}, the class {@code definition} declares, reading the class's own
	 * annotations from the definition's metadata where it has them: component scanning and configuration class
	 * parsing have read them already, while reflection would parse them again (several milliseconds for a class
	 * with many conditions). The superclasses and interfaces are searched by reflection.
	 */
	private static MergedAnnotation<ProtocolEndpoint> annotation(BeanDefinition definition, Class<?> type) {
		if (!(definition instanceof AnnotatedBeanDefinition annotated) || annotated.getFactoryMethodMetadata() != null
				|| !annotated.getMetadata().getClassName().equals(type.getName())) {
			return annotation(type);
		}
		MergedAnnotation<ProtocolEndpoint> annotation = annotated.getMetadata()
			.getAnnotations()
			.get(ProtocolEndpoint.class);
		if (annotation.isPresent()) {
			return annotation;
		}
		for (Class<?> inherited : type.getInterfaces()) {
			annotation = annotation(inherited);
			if (annotation.isPresent()) {
				return annotation;
			}
		}
		return annotation(type.getSuperclass());
	}

	private static MergedAnnotation<ProtocolEndpoint> annotation(Class<?> type) {
		return (type != null) ? MergedAnnotations.from(type, SearchStrategy.TYPE_HIERARCHY).get(ProtocolEndpoint.class)
				: MergedAnnotation.missing();
	}

}
