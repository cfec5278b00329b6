package dev.tokenservice.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which database holds the users ({@code database.*} in config.yml, or the environment
 * variables {@code DATABASE_URL}, {@code DATABASE_USERNAME} and
 * {@code DATABASE_PASSWORD}): the embedded H2 file by default, PostgreSQL when several
 * instances share one database.
 *
 * @param url a JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://host:5432/db})
 * @param poolSize the most connections this instance opens
 * @param connectionTimeout how long a request waits for a connection before it gets 503
 */
@ConfigurationProperties("database")
public record DatabaseProperties(String url, String username, String password, int poolSize,
		Duration connectionTimeout) {

	public DatabaseProperties {
		if (url == null || !(url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:"))) {
			throw new InvalidConfigurationException("database.url",
					"must be a JDBC URL starting jdbc:postgresql: or jdbc:h2:");
		}
		// Flyway holds one connection for its lock and migrates on a second.
		if (poolSize < 2) {
			throw new InvalidConfigurationException("database.pool_size",
					"must be at least 2 (the start-up's migrations need two connections)");
		}
		if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
			throw new InvalidConfigurationException("database.connection_timeout", "must be at least 250ms");
		}
	}

	public boolean isPostgres() {
		return this.url.startsWith("jdbc:postgresql:");
	}

	@Override
	public String toString() {
		return "DatabaseProperties[url=" + this.url + ", username=" + this.username + ", poolSize=" + this.poolSize
				+ "]";
	}

}
