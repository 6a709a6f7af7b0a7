package io.protoloop.boot.test;

import java.util.Set;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

import io.protoloop.boot.ProtocolEndpoint;

/**
 * What component scanning keeps in a {@link ProtocolEndpointTest}: the {@code @ProtocolEndpoint} classes the test
 * names (all when it names none), and nothing else.
 */
final class ProtocolEndpointTypeExcludeFilter extends TypeExcludeFilter {

	/** The endpoint names to keep; empty keeps every endpoint. */
	private final Set<String> endpoints;

	ProtocolEndpointTypeExcludeFilter(Class<?> testClass) {
		ProtocolEndpointTest test = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				ProtocolEndpointTest.class);
		this.endpoints = (test != null) ? Set.of(test.value()) : Set.of();
	}

	@Override
	public boolean match(MetadataReader metadataReader, MetadataReaderFactory metadataReaderFactory) {
		MergedAnnotation<ProtocolEndpoint> endpoint = metadataReader.getAnnotationMetadata()
			.getAnnotations()
			.get(ProtocolEndpoint.class);
		if (!endpoint.isPresent()) {
			return true;
		}
		return !this.endpoints.isEmpty() && !this.endpoints.contains(endpoint.getString("value"));
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof ProtocolEndpointTypeExcludeFilter filter) && this.endpoints.equals(filter.endpoints);
	}

	@Override
	public int hashCode() {
		return this.endpoints.hashCode();
	}

}
