package dev.tokenservice.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Binds every settings record and creates the data directory (owner-only) before any bean
 * is created, so a bad value stops the start before the database writes a single file.
 */
class StartupConfigurationCheck implements BeanFactoryPostProcessor {

	private final Binder binder;

	private final List<Class<?>> settings;

	StartupConfigurationCheck(Environment environment, List<Class<?>> settings) {
		this.binder = Binder.get(environment);
		this.settings = settings;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		this.settings.forEach(this::bind);
		createPrivately(bind(DataProperties.class).dir());
	}

	private <T> T bind(Class<T> type) {
		String prefix = type.getAnnotation(ConfigurationProperties.class).value();
		return this.binder.bindOrCreate(prefix, Bindable.of(type));
	}

	private static void createPrivately(Path dir) {
		try {
			if (!Files.isDirectory(dir)) {
				Files.createDirectories(dir, PrivateFiles.ownerOnly(true));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the data directory " + dir.toAbsolutePath(), ex);
		}
	}

}
