package dev.tokenservice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which database holds the users ({@code database.*} in config.yml, or the environment
 * variables {@code DATABASE_URL}, {@code DATABASE_USERNAME} and
 * {@code DATABASE_PASSWORD}): the embedded H2 file by default, PostgreSQL when several
 * instances share one database.
 *
 * @param url a JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://host:5432/db}),
 * or libpq's {@code postgres://user:password@host:5432/db}
 * @param poolSize the most connections this instance opens
 * @param connectionTimeout how long a request waits for a connection before it gets 503
 */
@ConfigurationProperties("database")
public record DatabaseProperties(String url, String username, String password, int poolSize,
		Duration connectionTimeout) {

	public DatabaseProperties {
		if (url != null && LIBPQ_URL.matcher(url).lookingAt()) {
			LibpqUrl libpq = LibpqUrl.parse(url);
			url = libpq.jdbcUrl();
			username = (libpq.username() != null) ? libpq.username() : username;
			password = (libpq.password() != null) ? libpq.password() : password;
		}
		if (url == null || !(url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:"))) {
			throw new InvalidConfigurationException("database.url",
					"must be a JDBC URL starting jdbc:postgresql: or jdbc:h2:, or postgres://user:password@host/database");
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

	/**
	 * The URL container platforms set in {@code DATABASE_URL} (Heroku, Render, Railway,
	 * Fly.io, compose files): libpq's form, its user and password taking the place of
	 * {@code database.username} and {@code database.password}.
	 */
	private static final Pattern LIBPQ_URL = Pattern.compile("postgres(ql)?://");

	private record LibpqUrl(String jdbcUrl, @Nullable String username, @Nullable String password) {

		static LibpqUrl parse(String url) {
			URI uri;
			try {
				uri = new URI(url);
			}
			catch (URISyntaxException ex) {
				// The reason would quote the URL, password included.
				throw new InvalidConfigurationException("database.url",
						"is not a valid postgres://user:password@host:port/database URL");
			}
			if (uri.getHost() == null) {
				throw new InvalidConfigurationException("database.url",
						"is not a valid postgres://user:password@host:port/database URL");
			}
			String userInfo = uri.getRawUserInfo();
			String[] userAndPassword = (userInfo != null) ? userInfo.split(":", 2) : new String[0];
			String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "")
					+ ((uri.getRawPath() != null) ? uri.getRawPath() : "/")
					+ ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
			return new LibpqUrl(jdbcUrl, (userAndPassword.length > 0) ? decode(userAndPassword[0]) : null,
					(userAndPassword.length > 1) ? decode(userAndPassword[1]) : null);
		}

		private static String decode(String part) {
			try {
				return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationException("database.url",
						"has a malformed %-escape in its user or password");
			}
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
