package dev.tokenservice.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds and validates the service's own sections of config.yml. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ JwtProperties.class, PasswordProperties.class, DataProperties.class,
		HttpProperties.class })
class ConfigurationPropertiesConfiguration {

}
