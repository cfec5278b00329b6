package dev.tokenservice.config;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says at start-up which config.yml was read and names every key in it that nothing
 * reads, so a typo such as {@code jwt.expiration_tme} does not pass silently.
 */
@Component
class ConfigFileReport {

	private static final Logger logger = LoggerFactory.getLogger(ConfigFileReport.class);

	/**
	 * Sections owned by Spring Boot itself, which ignores keys it does not know: with
	 * hundreds of keys spread over its modules, they are not checked here either.
	 */
	private static final Set<String> FRAMEWORK_SECTIONS = Set.of("server", "spring", "logging", "management",
			"springdoc", "debug", "trace", "info");

	private final Path configFile;

	ConfigFileReport(@Value("${config.file:./config.yml}") Path configFile) {
		this.configFile = configFile.toAbsolutePath().normalize();
	}

	@EventListener(ApplicationStartedEvent.class)
	void report(ApplicationStartedEvent event) {
		if (!Files.isRegularFile(this.configFile)) {
			logger.warn("No configuration file at {}: running on built-in defaults", this.configFile);
			return;
		}
		logger.info("Configuration read from {}", this.configFile);
		Set<String> known = knownKeys(event.getApplicationContext());
		for (String key : keysIn(this.configFile)) {
			if (!isKnown(key, known)) {
				logger.warn("Unknown configuration key '{}' in {}: it is ignored (a typo?)", key, this.configFile);
			}
		}
	}

	private static boolean isKnown(String key, Set<String> known) {
		if (FRAMEWORK_SECTIONS.contains(key.split("\\.", 2)[0])) {
			return true;
		}
		String normalized = normalize(key);
		// Below a known key are a map's entries; above one, a nested section left empty.
		return known.stream()
			.anyMatch((leaf) -> normalized.equals(leaf) || normalized.startsWith(leaf + ".")
					|| leaf.startsWith(normalized + "."));
	}

	private static Set<String> knownKeys(ApplicationContext context) {
		Set<String> keys = new HashSet<>();
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
	private static void addComponents(String prefix, Class<?> type, Set<String> keys) {
		for (RecordComponent component : type.getRecordComponents()) {
			String key = prefix + "." + component.getName();
			if (component.getType().isRecord()) {
				addComponents(key, component.getType(), keys);
			}
			else {
				keys.add(normalize(key));
			}
		}
	}

	private static Set<String> keysIn(Path file) {
		Set<String> keys = new TreeSet<>();
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

	private static void flatten(String prefix, Object node, Set<String> keys) {
		if (node instanceof Map<?, ?> map && !map.isEmpty()) {
			map.forEach((name, value) -> flatten(prefix.isEmpty() ? String.valueOf(name) : prefix + "." + name, value,
					keys));
		}
		else if (!prefix.isEmpty()) {
			keys.add(prefix);
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
