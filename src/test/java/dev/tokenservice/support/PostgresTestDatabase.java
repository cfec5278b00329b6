package dev.tokenservice.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL database of its own for one test class, created on the server named by
 * {@value #URL_VARIABLE} (for example {@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * from {@value #USER_VARIABLE}, default {@code postgres}) and dropped afterwards, so
 * leftovers never break the next run. Without the variable the test is skipped (a laptop
 * without PostgreSQL); with it, an unreachable server fails the test.
 */
public final class PostgresTestDatabase implements AutoCloseable {

	public static final String URL_VARIABLE = "TOKEN_SERVICE_TEST_POSTGRES_URL";

	public static final String USER_VARIABLE = "TOKEN_SERVICE_TEST_POSTGRES_USER";

	private final String serverUrl;

	private final String name;

	private PostgresTestDatabase(String serverUrl, String name) {
		this.serverUrl = serverUrl;
		this.name = name;
	}

	/** Creates a fresh database, or skips the calling test if no server is configured. */
	public static PostgresTestDatabase create(String purpose) {
		String serverUrl = System.getenv(URL_VARIABLE);
		Assumptions.assumeTrue(serverUrl != null && !serverUrl.isBlank(),
				URL_VARIABLE + " is not set: PostgreSQL tests skipped (CI sets it)");
		String name = "ts_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		PostgresTestDatabase database = new PostgresTestDatabase(serverUrl, name);
		database.execute("CREATE DATABASE " + name);
		return database;
	}

	/** The JDBC URL of this database. */
	public String url() {
		return this.serverUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + this.name + "$1");
	}

	public String username() {
		String user = System.getenv(USER_VARIABLE);
		return (user != null && !user.isBlank()) ? user : "postgres";
	}

	/**
	 * Ends every other session on this database, as a server restart, a failover or an
	 * administrator's {@code pg_terminate_backend} does.
	 */
	public void terminateConnections() {
		execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + this.name
				+ "' AND pid <> pg_backend_pid()");
	}

	/**
	 * Switches the database's default for new sessions, as an administrator's read-only
	 * switch does; sessions already open keep theirs.
	 */
	public void defaultReadOnly(boolean on) {
		// This session is itself read-only while the switch is on.
		executeInDatabase("SET default_transaction_read_only = off", "ALTER DATABASE " + this.name
				+ (on ? " SET default_transaction_read_only = on" : " RESET default_transaction_read_only"));
	}

	/** Runs statements in this database as the server's user (a superuser here). */
	public void executeInDatabase(String... statements) {
		try (Connection connection = DriverManager.getConnection(url(), username(), "");
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"PostgreSQL database " + this.name + " failed: " + String.join("; ", statements), ex);
		}
	}

	@Override
	public void close() {
		execute("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
	}

	private void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(this.serverUrl, username(), "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at " + this.serverUrl + " failed: " + sql, ex);
		}
	}

}
