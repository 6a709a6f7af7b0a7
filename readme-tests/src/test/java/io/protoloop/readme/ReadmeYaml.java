package io.protoloop.readme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import io.protoloop.readme.Readme.Block;

/** A ```yaml block of the README read the way Spring Boot reads {@code application.yml}. */
final class ReadmeYaml {

	static final ConfigurationPropertyName ENDPOINTS = ConfigurationPropertyName.of("protoloop.endpoints");

	private ReadmeYaml() {
	}

	/** The block's documents as property sources, each property with its origin (its line in the block). */
	static List<PropertySource<?>> load(Block block) {
		try {
			return new YamlPropertySourceLoader().load(block.location(),
					new ByteArrayResource(block.text().getBytes(StandardCharsets.UTF_8), block.location()));
		}
		catch (IOException | RuntimeException ex) {
			throw new AssertionError(block + " is not valid YAML: " + ex.getMessage(), ex);
		}
	}

	/** Every property name of the block, in Boot's canonical form. */
	static List<ConfigurationPropertyName> names(Block block) {
		return load(block).stream()
			.map(ConfigurationPropertySources::from)
			.<ConfigurationPropertySource>mapMulti(Iterable::forEach)
			.map(IterableConfigurationPropertySource.class::cast)
			.flatMap(IterableConfigurationPropertySource::stream)
			.toList();
	}

	/** The endpoints the block configures ({@code protoloop.endpoints.<name>}) and their {@code kind}, if set. */
	static Map<String, String> endpoints(Block block) {
		Map<String, String> endpoints = new LinkedHashMap<>();
		for (PropertySource<?> source : load(block)) {
			for (ConfigurationPropertySource properties : ConfigurationPropertySources.from(source)) {
				((IterableConfigurationPropertySource) properties).stream()
					.filter(ENDPOINTS::isAncestorOf)
					.forEach((name) -> {
						String endpoint = name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL);
						endpoints.putIfAbsent(endpoint, null);
						if (name.getNumberOfElements() == 4 && name.getLastElement(ConfigurationPropertyName.Form.UNIFORM)
							.equals("kind")) {
							endpoints.put(endpoint, String.valueOf(properties.getConfigurationProperty(name).getValue()));
						}
					});
			}
		}
		return endpoints;
	}

	/** Where {@code name} is set in the README, for messages: {@code README.md:<line>}. */
	static String location(Block block, ConfigurationPropertyName name) {
		for (PropertySource<?> source : load(block)) {
			for (ConfigurationPropertySource properties : ConfigurationPropertySources.from(source)) {
				var property = properties.getConfigurationProperty(name);
				if (property != null) {
					Origin origin = property.getOrigin();
					if (origin instanceof PropertySourceOrigin wrapped) {
						origin = wrapped.getOrigin();
					}
					if (origin instanceof TextResourceOrigin text && text.getLocation() != null) {
						return block.location(text.getLocation().getLine() + 1);
					}
				}
			}
		}
		return block.location();
	}

}
