package dev.tokenservice.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Binds every settings record and prepares the data directory ({@link DataDirectory})
 * before any bean is created, so a bad value stops the start before the database writes a
 * single file.
 */
class StartupConfigurationCheck implements BeanFactoryPostProcessor {

	private static final String MANAGEMENT_PORT = "management.server.port";

	/** What starts the actuator's own server, in a child context. */
	private static final String SEPARATE_MANAGEMENT_SERVER = "org.springframework.boot.actuate.autoconfigure.web.server.ChildManagementContextInitializer";

	/** The name in a placeholder: never the rest of the value, which may be a secret. */
	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)");

	private final Environment environment;

	private final Binder binder;

	private final List<Class<?>> settings;

	StartupConfigurationCheck(Environment environment, List<Class<?>> settings) {
		this.environment = environment;
		this.binder = new Binder(ConfigurationPropertySources.get(environment),
				(value) -> resolvedOrRefused(environment, value));
		this.settings = settings;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		requireConfigFile();
		requirePort();
		requireActuatorPortServed(beanFactory);
		this.settings.forEach(this::bind);
		DataDirectory.prepare(bind(DataProperties.class).dir(), writesData());
	}

	/**
	 * On PostgreSQL with a configured secret nothing is written to the data directory, so
	 * a read-only one (a read-only root file system) will do.
	 */
	private boolean writesData() {
		return !bind(DatabaseProperties.class).isPostgres() || !bind(JwtProperties.class).hasSecret();
	}

	/**
	 * ./config.yml may be absent; a file named on purpose (CONFIG_FILE, --config.file)
	 * must be there, or a mistyped path or a missing Docker mount would start the service
	 * on the built-in defaults. Neither may be a directory: Docker makes one where a bind
	 * mount's host file is missing ({@code -v ./my-config.yml:/app/config.yml}), and
	 * Spring Boot would skip it just as quietly.
	 */
	private void requireConfigFile() {
		String named = this.environment.getProperty("config.file");
		Path file = Path.of((named != null) ? named : "./config.yml").toAbsolutePath().normalize();
		if (Files.isDirectory(file)) {
			throw new InvalidConfigurationException("config.file",
					"names " + file + ", which is a directory, not a file",
					"Put the YAML file there (a Docker bind mount whose host file does not exist mounts an empty"
							+ " directory instead), or correct CONFIG_FILE (or --config.file), and start again.");
		}
		if (named != null && !Files.exists(file)) {
			throw new InvalidConfigurationException("config.file",
					"names " + file + ", which does not exist (leave it unset to run on the built-in defaults)",
					"Correct CONFIG_FILE (or --config.file), or mount the file there, and start again.");
		}
	}

	/**
	 * An empty port ({@code PORT=} in a compose file) would bind as no port at all, and
	 * Tomcat would quietly open its own default, 8080, where no client or health check
	 * looks.
	 */
	private void requirePort() {
		String port = this.environment.getProperty("server.port");
		if (port != null && port.isBlank()) {
			throw new InvalidConfigurationException("server.port", "is empty (PORT or SERVER_PORT set to nothing?)",
					"Give a port number, or unset the variable to listen on 8001, and start again.");
		}
	}

	/**
	 * The fast start's beans were chosen when the jar was built, the actuator's port
	 * among them: a port of its own set only at run time would open nothing, and the
	 * actuator would stay on the service's port, where the security rules, reading the
	 * setting, would leave it open without a token.
	 */
	private void requireActuatorPortServed(ConfigurableListableBeanFactory beanFactory) {
		if (ManagementPortType.get(this.environment) != ManagementPortType.DIFFERENT) {
			return;
		}
		Class<?> separatePort = ClassUtils.resolveClassName(SEPARATE_MANAGEMENT_SERVER,
				beanFactory.getBeanClassLoader());
		if (beanFactory.getBeanNamesForType(separatePort, false, false).length == 0) {
			throw new InvalidConfigurationException(MANAGEMENT_PORT,
					"takes effect only in the plain start (java -jar), not in this fast start, whose actuator"
							+ " shares the service's port as it did when the jar was built",
					"Start the plain way (java -jar, without java.args), build the jar with the port"
							+ " (README, \"Metrics\"), or leave " + MANAGEMENT_PORT + " unset.");
		}
	}

	private <T> T bind(Class<T> type) {
		String prefix = type.getAnnotation(ConfigurationProperties.class).value();
		try {
			return this.binder.bindOrCreate(prefix, Bindable.of(type));
		}
		catch (BindException ex) {
			if (ex.getCause() instanceof UnsetVariableException unset) {
				throw new InvalidConfigurationException(ex.getName().toString(), "refers to " + unset.name
						+ ", which is not set: set it, or give a default as in ${" + unset.name + ":}");
			}
			throw ex;
		}
	}

	/**
	 * Spring leaves a placeholder it cannot resolve as it is, so a secret written as
	 * {@code ${ORDERS_API_SECRET}} with that variable unset would be the text
	 * {@code ${ORDERS_API_SECRET}}, which anyone can read in the README.
	 */
	private static Object resolvedOrRefused(Environment environment, Object value) {
		if (!(value instanceof String text)) {
			return value;
		}
		String resolved = environment.resolvePlaceholders(text);
		Matcher unset = PLACEHOLDER.matcher(resolved);
		if (unset.find()) {
			throw new UnsetVariableException(unset.group(1));
		}
		return resolved;
	}

	private static final class UnsetVariableException extends RuntimeException {

		private final String name;

		UnsetVariableException(String name) {
			super(null, null, false, false);
			this.name = name;
		}

	}

}
