package dev.tokenservice.config;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stops the start-up when the PostgreSQL role may read the service's tables but not write
 * them (a read-only role, or grants forgotten after a restore): such an instance reported
 * ready, then answered every login, registration and revocation with a 5xx. A database
 * that takes no writes at the moment (a standby, a read-only switch) is only warned
 * about: that may pass, as during a failover, and meanwhile token checks are served. Runs
 * after the migrations, which create the tables.
 */
@Component
class DatabaseWriteCheck implements SmartInitializingSingleton {

	private static final List<String> TABLES = List.of("users", "revoked_tokens", "rate_limit_buckets");

	private static final String CAN_WRITE = "SELECT has_table_privilege(?, 'INSERT') AND has_table_privilege(?, "
			+ "'UPDATE') AND has_table_privilege(?, 'DELETE')";

	private static final String READ_ONLY_NOW = "SELECT current_setting('transaction_read_only') = 'on'";

	private static final Logger logger = LoggerFactory.getLogger(DatabaseWriteCheck.class);

	private final DatabaseProperties database;

	private final JdbcClient jdbc;

	DatabaseWriteCheck(DatabaseProperties database, JdbcClient jdbc) {
		this.database = database;
		this.jdbc = jdbc;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!this.database.isPostgres()) {
			return;
		}
		List<String> readOnly = TABLES.stream()
			.filter((table) -> !this.jdbc.sql(CAN_WRITE).params(table, table, table).query(Boolean.class).single())
			.toList();
		if (!readOnly.isEmpty()) {
			throw new InvalidConfigurationException("database.username", "may not write " + String.join(", ", readOnly)
					+ ": grant the role INSERT, UPDATE and DELETE on the service's tables");
		}
		if (this.jdbc.sql(READ_ONLY_NOW).query(Boolean.class).single()) {
			logger.warn("The database takes no writes now (a standby, or default_transaction_read_only is on): "
					+ "every write gets 503 until it does, token checks go on. If database.url should name the "
					+ "primary, correct it (with several servers, add targetServerType=primary)");
		}
	}

}
