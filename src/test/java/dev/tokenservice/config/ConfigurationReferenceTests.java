package dev.tokenservice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration table and the settings records describe the same keys: a
 * setting added to a record without documentation, or a documented key nothing reads,
 * fails the build.
 */
class ConfigurationReferenceTests {

	/** A table row's first cell: a key in backquotes. */
	private static final Pattern ROW_KEY = Pattern.compile("^\\| `([a-z0-9_.-]+)` \\|", Pattern.MULTILINE);

	/** Keys of Spring Boot itself that the table documents as well. */
	private static final Set<String> FRAMEWORK_KEYS = Set.of("server.port");

	@Test
	void readmeTableWhenComparedWithSettingsRecordsThenSameKeys() throws IOException {
		assertThat(documentedKeys()).isEqualTo(recordKeys());
	}

	private static Set<String> documentedKeys() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		String table = readme.substring(readme.indexOf("\n## Configuration\n"));
		table = table.substring(0, table.indexOf("\n## ", 1));
		Set<String> keys = new TreeSet<>();
		Matcher row = ROW_KEY.matcher(table);
		while (row.find()) {
			keys.add(row.group(1));
		}
		keys.removeAll(FRAMEWORK_KEYS);
		return keys;
	}

	private static Set<String> recordKeys() {
		Class<?>[] settings = ConfigurationPropertiesConfiguration.class
			.getAnnotation(EnableConfigurationProperties.class)
			.value();
		return Arrays.stream(settings)
			.flatMap((type) -> Arrays.stream(type.getRecordComponents())
				.map((component) -> type.getAnnotation(ConfigurationProperties.class).value() + "."
						+ snakeCase(component.getName())))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static String snakeCase(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
	}

}
