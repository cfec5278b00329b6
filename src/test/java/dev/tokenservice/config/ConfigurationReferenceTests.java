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
 * fails the build. The table's environment variables are kept out of the tests by the
 * build (pom.xml), so a variable added to the table must be added there too.
 */
class ConfigurationReferenceTests {

	/** A table row's first cell: a key in backquotes. */
	private static final Pattern ROW_KEY = Pattern.compile("^\\| `([a-z0-9_.-]+)` \\|", Pattern.MULTILINE);

	/** A variable in backquotes in a table row's third cell. */
	private static final Pattern ROW_VARIABLES = Pattern.compile("^\\| `[a-z0-9_.-]+` \\|[^|]*\\|([^|]*)\\|",
			Pattern.MULTILINE);

	private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

	private static final Pattern EXCLUDED_VARIABLE = Pattern.compile("<variable>([A-Z0-9_]+)</variable>");

	/** Keys of Spring Boot itself that the table documents as well. */
	private static final Set<String> FRAMEWORK_KEYS = Set.of("server.port");

	@Test
	void readmeTableWhenComparedWithSettingsRecordsThenSameKeys() throws IOException {
		assertThat(documentedKeys()).isEqualTo(recordKeys());
	}

	@Test
	void readmeTableVariablesWhenComparedWithBuildThenAllKeptOutOfTests() throws IOException {
		Set<String> documented = new TreeSet<>();
		Matcher row = ROW_VARIABLES.matcher(configurationSection());
		while (row.find()) {
			documented.addAll(matches(VARIABLE, row.group(1)));
		}

		assertThat(documented).contains("DATABASE_URL", "JWT_SECRET");
		assertThat(matches(EXCLUDED_VARIABLE, Files.readString(Path.of("pom.xml")))).containsAll(documented);
	}

	private static Set<String> documentedKeys() throws IOException {
		Set<String> keys = matches(ROW_KEY, configurationSection());
		keys.removeAll(FRAMEWORK_KEYS);
		return keys;
	}

	private static String configurationSection() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		String section = readme.substring(readme.indexOf("\n## Configuration\n"));
		return section.substring(0, section.indexOf("\n## ", 1));
	}

	private static Set<String> matches(Pattern pattern, String text) {
		Set<String> found = new TreeSet<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		return found;
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
