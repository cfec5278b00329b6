package dev.tokenservice.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;

/**
 * Loads config.yml (and every other YAML file) as Spring Boot does, but turns a syntax
 * error into an {@link InvalidConfigurationException} naming the file, the line and the
 * column: SnakeYAML's own message quotes the offending line, and with it any secret
 * written there. Ordered first, so it is the loader Spring Boot picks for .yml and .yaml.
 */
class ConfigFileYamlLoader implements PropertySourceLoader, Ordered {

	/**
	 * Where a SnakeYAML problem goes on to quote the file (what it found instead, a tag,
	 * an alias, an escape): an unquoted password starting with ! or * is read as a tag or
	 * an alias, and named in full.
	 */
	private static final Pattern QUOTES_THE_FILE = Pattern
		.compile(",? but found.*|(?<=the tag|undefined alias|tag handle|escape character) .*|: .*", Pattern.DOTALL);

	private final YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();

	@Override
	public String[] getFileExtensions() {
		return this.yaml.getFileExtensions();
	}

	@Override
	public List<PropertySource<?>> load(String name, Resource resource) throws IOException {
		try {
			return this.yaml.load(name, resource);
		}
		catch (YAMLException ex) {
			String file = resource.isFile() ? resource.getFile().toPath().toAbsolutePath().normalize().toString()
					: resource.getDescription();
			throw new InvalidConfigurationException(file, "is not valid YAML: " + whatAndWhere(ex),
					"Correct the YAML syntax in " + file + " and start again: quote a value that contains ': ' or "
							+ "starts with a symbol such as ! or *, and close every quote.");
		}
	}

	/**
	 * What is wrong and where, never the text there: getMessage() and toString() quote
	 * the line.
	 */
	private static String whatAndWhere(YAMLException ex) {
		if (ex instanceof MarkedYAMLException marked) {
			String problem = withoutQuote(marked.getProblem()) + at(marked.getProblemMark());
			return (marked.getContext() != null)
					? problem + ", " + withoutQuote(marked.getContext()) + at(marked.getContextMark()) : problem;
		}
		if (ex instanceof ReaderException reader) {
			return String.format("unacceptable character U+%04X (character %d of the file)", reader.getCodePoint(),
					reader.getPosition() + 1);
		}
		return (ex.getCause() instanceof CharacterCodingException) ? "not UTF-8 text" : ex.getClass().getSimpleName();
	}

	private static String withoutQuote(String problem) {
		return QUOTES_THE_FILE.matcher(problem).replaceFirst("").strip();
	}

	/** SnakeYAML counts lines and columns from 0; editors count from 1. */
	private static String at(@Nullable Mark mark) {
		return (mark != null) ? " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")" : "";
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
