package dev.tokenservice.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first admin, created at start-up when {@code admin.password} is set
 * ({@code admin.*} in config.yml, normally from {@code ADMIN_PASSWORD}).
 */
@ConfigurationProperties("admin")
public record AdminProperties(String username, String password) {

	public AdminProperties {
		username = (username != null) ? username : "";
		password = (password != null) ? password : "";
		if (!password.isEmpty() && username.isBlank()) {
			throw new InvalidConfigurationException("admin.username", "must be set when admin.password is");
		}
	}

	public boolean isConfigured() {
		return !this.password.isEmpty();
	}

	@Override
	public String toString() {
		return "AdminProperties[username=" + this.username + "]";
	}

}
