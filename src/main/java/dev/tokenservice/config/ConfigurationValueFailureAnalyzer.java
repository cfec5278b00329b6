package dev.tokenservice.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.util.unit.DataSize;

/**
 * A configuration value Spring Boot cannot bind (a word where a number goes, a list entry
 * numbered past a gap) stops start-up with the key, where it was set and what it must be.
 * Spring Boot's own report quotes the value, which may be a secret in the wrong place: an
 * environment variable misnamed, or two lines of config.yml swapped.
 */
class ConfigurationValueFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final String ACTION = "Correct it in config.yml (or the environment variable it reads) and start again.";

	@Override
	public int getOrder() {
		// Ahead of Spring Boot's analyzers for the same exceptions.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		if (FailureCauses.first(failure, InvalidConfigurationException.class) != null) {
			return null;
		}
		BindException bind = FailureCauses.first(failure, BindException.class);
		if (bind != null) {
			return InvalidConfigurationFailureAnalyzer.report(describe(bind), ACTION, bind);
		}
		InvalidConfigurationPropertyValueException invalid = FailureCauses.first(failure,
				InvalidConfigurationPropertyValueException.class);
		if (invalid != null) {
			return InvalidConfigurationFailureAnalyzer.report(invalid.getName() + " is not a valid value", ACTION,
					invalid);
		}
		return null;
	}

	private static String describe(BindException bind) {
		if (bind.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
			return unused(unbound.getUnboundProperties());
		}
		String key = named(bind.getName(), bind.getProperty());
		if (bind.getTarget().getType().asCollection() != ResolvableType.NONE) {
			return key + " must be a list: one \"- \" entry each in config.yml, or " + environmentName(bind.getName())
					+ "_0_..., _1_... in the environment";
		}
		ConversionFailedException conversion = FailureCauses.first(bind, ConversionFailedException.class);
		if (conversion == null) {
			return key + " cannot be read as " + bind.getTarget().getType();
		}
		return key + " " + expected(conversion.getTargetType());
	}

	private static String environmentName(ConfigurationPropertyName name) {
		return name.toString().replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
	}

	/** Spring Boot binds a list only from entries numbered 0, 1, 2 without a gap. */
	private static String unused(Set<ConfigurationProperty> properties) {
		return properties.stream()
			.map((property) -> named(property.getName(), property))
			.collect(Collectors.joining(", "))
				+ " cannot be used: the entries of a list are numbered from 0 without gaps";
	}

	/**
	 * The key as it was written (config.yml's {@code bcrypt_cost}, where Spring Boot says
	 * {@code bcrypt-cost}) and where it was set.
	 */
	private static String named(ConfigurationPropertyName name, @Nullable ConfigurationProperty property) {
		if (property == null) {
			return name.toString();
		}
		String written = name.toString();
		if (property.getSource().getUnderlyingSource() instanceof EnumerablePropertySource<?> source) {
			written = Arrays.stream(source.getPropertyNames())
				.filter((candidate) -> ConfigurationPropertyName.adapt(candidate, '.').equals(name))
				.findFirst()
				.orElse(written);
		}
		return (property.getOrigin() != null) ? written + " (" + property.getOrigin() + ")" : written;
	}

	private static String expected(TypeDescriptor target) {
		Class<?> type = target.getObjectType();
		if (type.isEnum()) {
			return "must be one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> constant.toString().toLowerCase(Locale.ROOT))
				.collect(Collectors.joining(", "));
		}
		if (type == Boolean.class) {
			return "must be true or false";
		}
		if (type == Integer.class || type == Long.class || type == Short.class) {
			return "must be a whole number";
		}
		if (type == Duration.class) {
			DurationUnit unit = target.getAnnotation(DurationUnit.class);
			String alone = (unit != null) ? unit.value().toString().toLowerCase(Locale.ROOT) : "milliseconds";
			return "must be a duration such as 90s or 2h (a number alone counts " + alone + ")";
		}
		if (type == DataSize.class) {
			return "must be a size such as 512KB or 2MB";
		}
		return "cannot be read as " + type.getSimpleName();
	}

}
