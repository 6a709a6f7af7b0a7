package io.protoloop.boot.autoconfigure;

import java.util.List;
import java.util.Objects;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import io.protoloop.boot.ProtocolEndpoint;

/**
 * Registers the runtime hints that {@code @ProtocolEndpoint} beans need once processed ahead of time: at
 * startup the endpoints are found by reading that annotation from the bean classes, which a native image only
 * allows for types registered for reflection.
 */
class ProtocolEndpointAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		List<Class<?>> types = ProtocolEndpointBeans.find(beanFactory)
			.stream()
			.<Class<?>>map(ProtocolEndpointBeans.Found::type)
			.filter(Objects::nonNull)
			.toList();
		if (types.isEmpty()) {
			return null;
		}
		return (context, code) -> {
			context.getRuntimeHints().reflection().registerType(ProtocolEndpoint.class);
			types.forEach((type) -> context.getRuntimeHints().reflection()
				.registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS));
		};
	}

}
