package io.protoloop.boot.context;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.PropertyValues;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

/**
 * Fills {@link LocalEndpointPort} fields from {@code local.protoloop.endpoints.<name>.port}. The fields of each
 * class are looked up once, so beans without the annotation cost a map lookup.
 */
public final class LocalEndpointPortPostProcessor implements InstantiationAwareBeanPostProcessor, EnvironmentAware {

	private final Map<Class<?>, List<Field>> fieldsByClass = new ConcurrentHashMap<>();

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public PropertyValues postProcessProperties(PropertyValues pvs, Object bean, String beanName) {
		for (Field field : this.fieldsByClass.computeIfAbsent(bean.getClass(), LocalEndpointPortPostProcessor::find)) {
			String endpoint = field.getAnnotation(LocalEndpointPort.class).value();
			String property = "local.protoloop.endpoints." + endpoint + ".port";
			Object port = this.environment.getProperty(property, field.getType());
			if (port == null) {
				throw new BeanCreationException(beanName, "Cannot inject @LocalEndpointPort(\"" + endpoint + "\") into "
						+ field + ": " + property + " is not set. Endpoint '" + endpoint
						+ "' is not running yet (or is not a tcp/udp endpoint); only tests and beans created after "
						+ "startup can receive it.");
			}
			ReflectionUtils.makeAccessible(field);
			ReflectionUtils.setField(field, bean, port);
		}
		return pvs;
	}

	private static List<Field> find(Class<?> type) {
		List<Field> fields = new ArrayList<>();
		ReflectionUtils.doWithFields(type, fields::add, (field) -> field.isAnnotationPresent(LocalEndpointPort.class));
		return List.copyOf(fields);
	}

}
