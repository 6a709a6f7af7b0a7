package io.protoloop.boot.test;

import java.util.Arrays;
import java.util.stream.Stream;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTestContextBootstrapper;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Boots a {@link ProtocolEndpointTest} context as Boot boots its own slices: from the application's
 * {@code @SpringBootConfiguration}, with the annotation's properties, and with the application's
 * {@code @EnableAutoConfiguration} switched off, so only the slice's auto-configurations run. The endpoint names
 * the test gives are passed on, so a name no endpoint has fails the test at once.
 */
class ProtocolEndpointTestContextBootstrapper extends SpringBootTestContextBootstrapper {

	@Override
	protected String[] getProperties(Class<?> testClass) {
		ProtocolEndpointTest test = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				ProtocolEndpointTest.class);
		String[] properties = (test != null) ? test.properties() : new String[0];
		String[] endpoints = (test != null) ? test.value() : new String[0];
		return Stream.concat(Arrays.stream(properties),
				Stream.of(EnableAutoConfiguration.ENABLED_OVERRIDE_PROPERTY + "=false",
						FreeEndpointAddresses.NAMED_ENDPOINTS + "=" + String.join(",", endpoints)))
			.toArray(String[]::new);
	}

}
