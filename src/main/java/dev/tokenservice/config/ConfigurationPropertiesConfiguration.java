package dev.tokenservice.config;

import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds and validates the service's own sections of config.yml. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ JwtProperties.class, PasswordProperties.class, DataProperties.class,
		HttpProperties.class, AdminProperties.class, IntrospectionProperties.class, LimitsProperties.class,
		DatabaseProperties.class })
class ConfigurationPropertiesConfiguration {

	@Bean
	static StartupConfigurationCheck startupConfigurationCheck(Environment environment) {
		return new StartupConfigurationCheck(environment, List
			.of(ConfigurationPropertiesConfiguration.class.getAnnotation(EnableConfigurationProperties.class).value()));
	}

}
