package dev.tokenservice.token;

import java.util.Optional;

import dev.tokenservice.account.Role;
import dev.tokenservice.account.TokenHolder;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a token check needs from the database, in one round trip: its holder's current
 * state and whether its {@code jti} was revoked. Plain SQL rather than JPA because this
 * runs on every check, and nothing here is kept in memory, so every instance sees a
 * change the moment it is committed.
 */
@Component
class TokenStateQuery {

	private static final String SQL = """
			SELECT u.id, u.username, u.enabled, u.role, u.token_version
			FROM users u
			WHERE u.id = ? AND NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = ?)
			""";

	private final JdbcClient jdbc;

	TokenStateQuery(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The holder of the token, unless the holder is gone or the token was revoked. */
	Optional<TokenHolder> unrevokedHolder(SignedToken token) {
		return this.jdbc.sql(SQL)
			.params(token.userId(), token.jti())
			.query((row, number) -> new TokenHolder(row.getLong("id"), row.getString("username"),
					row.getBoolean("enabled"), Role.valueOf(row.getString("role")), row.getLong("token_version")))
			.optional();
	}

}
