package dev.tokenservice.config;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Says at start-up which config.yml was read and names every key in it that nothing
 * reads, so a typo such as {@code jwt.expiration_tme} does not pass silently. A list or a
 * section where one value belongs stops the start: Spring would bind nothing from it and
 * keep the default.
 */
@Component
class ConfigFileReport implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(ConfigFileReport.class);

	/**
	 * Sections owned by Spring Boot itself, which ignores keys it does not know: with
	 * hundreds of keys spread over its modules, they are not checked here either.
	 */
	private static final Set<String> FRAMEWORK_SECTIONS = Set.of("server", "spring", "logging", "management",
			"springdoc", "debug", "trace", "info");

	private final Path configFile;

	private final ApplicationContext context;

	ConfigFileReport(@Value("${config.file:./config.yml}") Path configFile, ApplicationContext context) {
		this.configFile = configFile.toAbsolutePath().normalize();
		this.context = context;
	}

	/**
	 * Before the port opens, so a wrong kind of value stops the start without a request
	 * served.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (!Files.isRegularFile(this.configFile)) {
			logger.warn("No configuration file at {}: running on built-in defaults", this.configFile);
			return;
		}
		logger.info("Configuration read from {}", this.configFile);
		Map<String, Boolean> known = knownKeys(this.context);
		keysIn(this.configFile).forEach((key, isList) -> check(key, isList, known));
	}

	/**
	 * {@code known}: each key the service reads, normalized, and whether it takes a list.
	 */
	private void check(String key, boolean isList, Map<String, Boolean> known) {
		if (FRAMEWORK_SECTIONS.contains(key.split("\\.", 2)[0])) {
			return;
		}
		String normalized = normalize(key);
		Boolean takesList = known.get(normalized);
		if (takesList != null) {
			if (isList && !takesList) {
				throw notOneValue(key);
			}
			return;
		}
		for (Map.Entry<String, Boolean> leaf : known.entrySet()) {
			if (normalized.startsWith(leaf.getKey() + ".")) {
				if (!leaf.getValue()) {
					int depth = leaf.getKey().split("\\.").length;
					throw notOneValue(String.join(".", List.of(key.split("\\.")).subList(0, depth)));
				}
				return;
			}
			// Above a known key: a nested section left empty.
			if (leaf.getKey().startsWith(normalized + ".")) {
				return;
			}
		}
		logger.warn("Unknown configuration key '{}' in {}: it is ignored (a typo?)", key, this.configFile);
	}

	private InvalidConfigurationException notOneValue(String key) {
		return new InvalidConfigurationException(key,
				"in " + this.configFile + " must be one value, not a list or a section of keys");
	}

	private static Map<String, Boolean> knownKeys(ApplicationContext context) {
		Map<String, Boolean> keys = new HashMap<>();
		ConfigurationPropertiesBean.getAll(context)
			.values()
			.stream()
			.filter((bean) -> bean.getInstance() instanceof Record)
			.forEach((bean) -> addComponents(bean.getAnnotation().prefix(), bean.getInstance().getClass(), keys));
		return keys;
	}

	/**
	 * A nested record's components are keys of their own, such as
	 * password.argon2.memory_kib.
	 */
	private static void addComponents(String prefix, Class<?> type, Map<String, Boolean> keys) {
		for (RecordComponent component : type.getRecordComponents()) {
			String key = prefix + "." + component.getName();
			if (component.getType().isRecord()) {
				addComponents(key, component.getType(), keys);
			}
			else {
				keys.put(normalize(key), Collection.class.isAssignableFrom(component.getType())
						|| Map.class.isAssignableFrom(component.getType()));
			}
		}
	}

	/** Each key in the file, and whether its value is a list. */
	private static Map<String, Boolean> keysIn(Path file) {
		Map<String, Boolean> keys = new TreeMap<>();
		try (Reader reader = Files.newBufferedReader(file)) {
			for (Object document : new Yaml().loadAll(reader)) {
				flatten("", document, keys);
			}
		}
		catch (IOException | YAMLException ex) {
			logger.warn("Could not list the keys of {}: {}", file, ex.getClass().getSimpleName());
		}
		return keys;
	}

	private static void flatten(String prefix, Object node, Map<String, Boolean> keys) {
		if (node instanceof Map<?, ?> map && !map.isEmpty()) {
			map.forEach((name, value) -> flatten(prefix.isEmpty() ? String.valueOf(name) : prefix + "." + name, value,
					keys));
		}
		else if (!prefix.isEmpty()) {
			keys.put(prefix, node instanceof List);
		}
	}

	/**
	 * Relaxed binding treats {@code expiration_time}, {@code expiration-time} and
	 * {@code expirationTime} alike.
	 */
	private static String normalize(String key) {
		return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

}
