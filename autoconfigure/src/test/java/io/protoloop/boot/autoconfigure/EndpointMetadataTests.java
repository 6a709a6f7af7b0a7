package io.protoloop.boot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration processor cannot describe the entries of {@code protoloop.endpoints} (a map), so their
 * metadata is written by hand: it must list exactly the properties {@link ProtoloopProperties.Endpoint} has.
 */
class EndpointMetadataTests {

	private static final Pattern ENDPOINT_PROPERTY = Pattern.compile("\"name\": \"protoloop\\.endpoints\\.\\*\\.([a-z.-]+)\"");

	@Test
	void theHandWrittenMetadataDescribesEveryEndpointPropertyAndNoOther() throws IOException {
		Set<String> described = new TreeSet<>();
		try (InputStream json = getClass().getResourceAsStream("/META-INF/additional-spring-configuration-metadata.json")) {
			Matcher matcher = ENDPOINT_PROPERTY.matcher(new String(json.readAllBytes(), StandardCharsets.UTF_8));
			while (matcher.find()) {
				described.add(matcher.group(1));
			}
		}
		Set<String> properties = new TreeSet<>();
		addProperties(ProtoloopProperties.Endpoint.class, "", properties);
		assertThat(described).containsExactlyElementsOf(properties);
	}

	/** Adds the kebab-case names of {@code type}'s properties; a property without a setter is a nested group. */
	private static void addProperties(Class<?> type, String prefix, Set<String> names) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getName().equals("class")) {
				continue;
			}
			String name = prefix + property.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
			if (property.getWriteMethod() == null) {
				addProperties(property.getPropertyType(), name + ".", names);
			}
			else {
				names.add(name);
			}
		}
	}

}
